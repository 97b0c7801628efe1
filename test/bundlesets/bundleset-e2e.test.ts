/**
 * End to end (issue #12, acceptance): a BundleSet whose matrix of `clusters`
 * (by env label) × `gitDirectories` (apps/*) deploys every app to every
 * matching cluster with per-env Helm values, through real git, a real hub and
 * real agents on four kube-apiservers. Adding a directory in Git adds it
 * everywhere; relabelling a cluster moves it; a cluster that registers later
 * gets its bundles with no manual step; deleting a BundleSet with
 * preserveResourcesOnDeletion leaves the workloads while deleting one
 * without it prunes them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { read } from '../agent/agent-support.ts';
import { eventually } from '../support/eventually.ts';
import { createRepo, type TestRepo } from '../support/git-server.ts';
import { startFleet, type FleetMember, type TestFleet } from '../support/fleet.ts';
import type { TestHub } from '../support/hub.ts';

const WAIT = { timeoutMs: 120_000, intervalMs: 500 };
const LABELS = [{ env: 'prod' }, { env: 'prod' }, { env: 'dev' }, { env: 'dev' }];

type Member = FleetMember;

let fleet: TestFleet | undefined;
let hub: TestHub;
let repo: TestRepo;
let members: Member[] = [];

/**
 * A local chart per app: a ConfigMap saying which env's values it got. No Namespace object: the template's
 * `namespace` is fleet.yaml's (every object forced into it, a cluster-scoped one is an error, as in Fleet) and
 * the agent creates it.
 */
const chart = (app: string): Record<string, string> => ({
  [`apps/${app}/Chart.yaml`]: `apiVersion: v2\nname: ${app}\nversion: 1.0.0\n`,
  [`apps/${app}/values.yaml`]: 'env: none\nreplicas: 1\n',
  [`apps/${app}/templates/settings.yaml`]: `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${app}-settings
  namespace: {{ .Release.Namespace }}
data:
  env: {{ .Values.env | quote }}
  replicas: {{ .Values.replicas | quote }}
`,
});

const bundleSet = (prefix: string, preserve: boolean) => ({
  generators: [
    {
      matrix: {
        generators: [
          { clusters: { selector: { matchExpressions: [{ key: 'env', operator: 'In', values: ['prod', 'dev'] }] }, values: { replicas: '{{ if eq (index .cluster.labels "env") "prod" }}3{{ else }}1{{ end }}' } } },
          { gitDirectories: { gitRepo: 'apps', directories: [{ path: 'apps/*' }] } },
        ],
      },
    },
  ],
  template: {
    name: `${prefix}-{{ .path.basename }}-{{ .cluster.name }}`,
    gitRepo: 'apps',
    path: '{{ .path.path }}',
    namespace: `${prefix}-{{ .path.basename }}`,
    helm: { values: { env: '{{ index .cluster.labels "env" }}', replicas: '{{ .values.replicas }}' } },
    targets: [{ clusterName: '{{ .cluster.name }}' }],
  },
  syncPolicy: { preserveResourcesOnDeletion: preserve, maxDeleteFraction: 1 },
});

beforeAll(async () => {
  repo = await createRepo();
  await repo.writeFiles({ ...chart('web'), ...chart('db') });
  await repo.commit('web and db');
  // The fourth cluster joins later.
  fleet = await startFleet(LABELS, { startAgent: (i) => i < 3 });
  ({ hub, members } = fleet);
}, 600_000);

afterAll(async () => {
  await fleet?.dispose();
  await repo?.dispose();
});

const settings = async (m: Member, prefix: string, app: string) => (await read(m.kube, `/api/v1/namespaces/${prefix}-${app}/configmaps/${app}-settings`))?.data;

describe('a BundleSet on four labelled clusters', () => {
  it('deploys clusters × directories with per-env values and follows Git, labels and a new cluster', { timeout: 600_000 }, async () => {
    expect((await hub.api('PUT', '/api/v1/gitrepos/apps', { repo: repo.fileUrl, branch: 'main', sourceOnly: true, pollingInterval: 3600 })).status).toBe(201);
    expect((await hub.api('PUT', '/api/v1/bundlesets/kept', bundleSet('kept', true))).status).toBe(201);
    expect((await hub.api('PUT', '/api/v1/bundlesets/pruned', bundleSet('pruned', false))).status).toBe(201);
    const expectFleet = (apps: string[], envs: Array<string | undefined>) =>
      Promise.all(
        members.map((m, i) =>
          eventually(async () => {
            for (const app of apps) {
              for (const prefix of ['kept', 'pruned']) {
                const env = envs[i];
                expect({ at: `${m.cluster.name} ${prefix}-${app}`, data: await settings(m, prefix, app) }).toEqual({
                  at: `${m.cluster.name} ${prefix}-${app}`,
                  data: env ? { env, replicas: env === 'prod' ? '3' : '1' } : undefined,
                });
              }
            }
          }, WAIT),
        ),
      );
    await expectFleet(['web', 'db'], ['prod', 'prod', 'dev', undefined]);

    // A directory added in Git reaches every cluster.
    await repo.writeFiles(chart('api'));
    await repo.commit('api');
    await hub.api('POST', '/api/v1/gitrepos/apps/refresh');
    await expectFleet(['web', 'db', 'api'], ['prod', 'prod', 'dev', undefined]);

    // Relabelling moves a cluster to the other env's values; a cluster that registers gets everything.
    const third = (await hub.api('GET', `/api/v1/clusters?namePrefix=${members[2]!.cluster.name}`)).body.items[0];
    expect((await hub.api('PATCH', `/api/v1/clusters/${third.id}`, { labels: { env: 'prod' } })).status).toBe(200);
    members[3]!.agent.start();
    await expectFleet(['web', 'db', 'api'], ['prod', 'prod', 'prod', 'dev']);
    const status = (await hub.api('GET', '/api/v1/bundlesets/kept')).body.status;
    expect(status).toMatchObject({ result: 'Evaluated', paramSetCount: 12, bundles: { total: 12 } });
    await eventually(async () => expect((await hub.api('GET', '/api/v1/bundlesets/kept')).body.status.bundles.deployments).toEqual({ Ready: 12 }), WAIT);
  });

  it('deleting a BundleSet prunes its workloads unless preserveResourcesOnDeletion', { timeout: 300_000 }, async () => {
    expect((await hub.api('DELETE', '/api/v1/bundlesets/pruned')).status).toBe(204);
    expect((await hub.api('DELETE', '/api/v1/bundlesets/kept')).status).toBe(204);
    // Pruned: gone from every cluster (so every agent has acted on both deletions) …
    await Promise.all(members.map((m) => eventually(async () => expect(await settings(m, 'pruned', 'web')).toBeUndefined(), WAIT)));
    // … while the preserved workloads still run.
    for (const m of members) expect(await settings(m, 'kept', 'web')).toMatchObject({ env: expect.any(String) });
    expect((await hub.api('GET', '/api/v1/bundles?namePrefix=kept-')).body.items).toEqual([]);
  });
});
