/**
 * End to end (issue #11, acceptance): a Git repository in the style of a Fleet
 * repository — raw YAML, Kustomize with per-environment overlays, a local Helm
 * chart, fleet.yaml targetCustomizations — deploys from Git to three labelled
 * clusters through real agents, asserted on the live objects. A commit changes
 * what every cluster runs, `git revert` rolls it back, a commit whose chart
 * fails to render leaves that bundle as it was while the others deploy, and a
 * path removed from Git is pruned from the clusters.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { read } from '../agent/agent-support.ts';
import { eventually } from '../support/eventually.ts';
import { createRepo, type TestRepo } from '../support/git-server.ts';
import { startFleet, type FleetMember, type TestFleet } from '../support/fleet.ts';
import type { TestHub } from '../support/hub.ts';

const WAIT = { timeoutMs: 120_000, intervalMs: 500 };
const LABELS = [
  { env: 'prod', region: 'eu' },
  { env: 'prod', region: 'us' },
  { env: 'dev', region: 'eu' },
];

type Member = FleetMember;

let fleet: TestFleet | undefined;
let hub: TestHub;
let repo: TestRepo;
let members: Member[] = [];

const ns = (name: string) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n`;
const cm = (name: string, namespace: string, data: Record<string, string>) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\ndata:\n${Object.entries(data).map(([k, v]) => `  ${k}: "${v}"`).join('\n')}\n`;

const FILES: Record<string, string> = {
  // Raw YAML, the same everywhere.
  'raw/namespace.yaml': ns('git-raw'),
  'raw/settings.yaml': cm('settings', 'git-raw', { color: 'blue' }),
  // Kustomize: one overlay per environment, chosen by fleet.yaml.
  'kustomize/fleet.yaml': `targetCustomizations:
  - name: prod
    clusterSelector: { matchLabels: { env: prod } }
    kustomize: { dir: overlays/prod }
  - name: dev
    clusterSelector: { matchLabels: { env: dev } }
    kustomize: { dir: overlays/dev }
`,
  'kustomize/base/kustomization.yaml': 'resources: [namespace.yaml, deployment.yaml]\n',
  'kustomize/base/namespace.yaml': ns('git-kust'),
  'kustomize/base/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata: { name: api, namespace: git-kust }
spec:
  replicas: 1
  selector: { matchLabels: { app: api } }
  template:
    metadata: { labels: { app: api } }
    spec:
      containers: [{ name: api, image: "api:1" }]
`,
  'kustomize/overlays/prod/kustomization.yaml': `resources: [../../base]
patches:
  - target: { kind: Deployment, name: api }
    patch: |-
      - op: replace
        path: /spec/replicas
        value: 4
`,
  'kustomize/overlays/dev/kustomization.yaml': 'resources: [../../base]\n',
  // A local Helm chart with per-environment values and the region templated in.
  'chart/fleet.yaml': `defaultNamespace: git-chart
helm:
  releaseName: web
  values:
    tier: dev
    greeting: "hello from \${ .ClusterLabels.region }"
targetCustomizations:
  - name: prod
    clusterSelector: { matchLabels: { env: prod } }
    helm:
      values: { tier: prod }
`,
  'chart/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 1.0.0\n',
  'chart/templates/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {{ .Release.Namespace }}\n',
  'chart/templates/settings.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-settings
  namespace: {{ .Release.Namespace }}
data:
  tier: {{ .Values.tier | quote }}
  greeting: {{ .Values.greeting | quote }}
`,
};

beforeAll(async () => {
  repo = await createRepo();
  await repo.writeFiles(FILES);
  await repo.commit('initial');
  fleet = await startFleet(LABELS);
  ({ hub, members } = fleet);
}, 600_000);

afterAll(async () => {
  await fleet?.dispose();
  await repo?.dispose();
});

const live = async (m: Member) => ({
  raw: (await read(m.kube, '/api/v1/namespaces/git-raw/configmaps/settings'))?.data,
  replicas: (await read(m.kube, '/apis/apps/v1/namespaces/git-kust/deployments/api'))?.spec.replicas,
  chart: (await read(m.kube, '/api/v1/namespaces/git-chart/configmaps/web-settings'))?.data,
});

const fleetRuns = (expected: Awaited<ReturnType<typeof live>>[]) =>
  Promise.all(members.map((m, i) => eventually(async () => expect(await live(m)).toEqual(expected[i]), WAIT)));

const refresh = () => hub.api('POST', '/api/v1/gitrepos/shop/refresh');

describe('a Git repository on three labelled clusters', () => {
  it('deploys per-cluster differences from Git, follows a commit, rolls back with git revert', { timeout: 600_000 }, async () => {
    const put = await hub.api('PUT', '/api/v1/gitrepos/shop', {
      repo: repo.fileUrl,
      branch: 'main',
      paths: ['raw', 'kustomize', 'chart'],
      targets: [{ clusterSelector: { matchExpressions: [{ key: 'env', operator: 'Exists' }] } }],
      pollingInterval: 3600,
    });
    expect(put.status).toBe(201);
    const v1 = [
      { raw: { color: 'blue' }, replicas: 4, chart: { tier: 'prod', greeting: 'hello from eu' } },
      { raw: { color: 'blue' }, replicas: 4, chart: { tier: 'prod', greeting: 'hello from us' } },
      { raw: { color: 'blue' }, replicas: 1, chart: { tier: 'dev', greeting: 'hello from eu' } },
    ];
    await fleetRuns(v1);
    await eventually(async () => expect((await hub.api('GET', '/api/v1/gitrepos/shop')).body.status).toMatchObject({ ready: true, reason: 'Ready' }), WAIT);

    await repo.writeFiles({ 'raw/settings.yaml': cm('settings', 'git-raw', { color: 'green' }) });
    await repo.commit('green');
    await refresh();
    const v2 = v1.map((c) => ({ ...c, raw: { color: 'green' } }));
    await fleetRuns(v2);

    await repo.git('revert', '--no-edit', 'HEAD');
    await repo.push();
    await refresh();
    await fleetRuns(v1);
  });

  it('deploys the bundles that render when one does not, and prunes a path removed from Git', { timeout: 600_000 }, async () => {
    await repo.writeFiles({
      'raw/settings.yaml': cm('settings', 'git-raw', { color: 'red' }),
      'chart/templates/settings.yaml': 'data: {{ .Values.nope.missing }}\n',
    });
    const before = (await hub.api('GET', '/api/v1/gitrepos/shop')).body.status;
    expect(before).toMatchObject({ ready: true, renderedCommit: { sha: before.commit.sha } });
    await repo.commit('red, and a broken chart');
    await refresh();
    // The raw bundle moves on; the chart's clusters keep its last good render.
    await fleetRuns([
      { raw: { color: 'red' }, replicas: 4, chart: { tier: 'prod', greeting: 'hello from eu' } },
      { raw: { color: 'red' }, replicas: 4, chart: { tier: 'prod', greeting: 'hello from us' } },
      { raw: { color: 'red' }, replicas: 1, chart: { tier: 'dev', greeting: 'hello from eu' } },
    ]);
    const status = await eventually(async () => {
      const s = (await hub.api('GET', '/api/v1/gitrepos/shop')).body.status;
      expect(s.reason).toBe('RenderFailed');
      return s;
    }, WAIT);
    expect(status.message).toMatch(/bundle shop-chart \(chart\).*nil pointer|bundle shop-chart \(chart\).*nope/);
    // Fetched the broken commit; the last commit that rendered whole is still the one before it.
    expect(status.renderedCommit.sha).toBe(before.renderedCommit.sha);
    expect(status.renderedCommit.sha).not.toBe(status.commit.sha);

    await repo.writeFiles({ 'raw/namespace.yaml': null, 'raw/settings.yaml': null, 'chart/templates/settings.yaml': FILES['chart/templates/settings.yaml']! });
    await repo.commit('drop raw, fix the chart');
    await refresh();
    await Promise.all(members.map((m) => eventually(async () => expect((await live(m)).raw).toBeUndefined(), WAIT)));
    const fixed = await repo.git('rev-parse', 'HEAD');
    await eventually(
      async () =>
        expect((await hub.api('GET', '/api/v1/gitrepos/shop')).body.status).toMatchObject({
          ready: true,
          renderedCommit: { sha: fixed },
          bundles: [expect.objectContaining({ name: 'shop-chart' }), expect.objectContaining({ name: 'shop-kustomize' })],
        }),
      WAIT,
    );
  });
});
