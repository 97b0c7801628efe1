/**
 * Rollouts end to end (issue 13): a real hub, three real clusters with the
 * built agent, a bundle with two partitions and maxUnavailable 0. The canary
 * cluster refuses one revision (a ValidatingAdmissionPolicy in its own API
 * server), so that revision fails there and only there; everything is checked
 * in the clusters' live objects.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeClient } from '../../agent/src/kube/kube-client.ts';
import { startClusters, type Cluster } from '../clusters/index.ts';
import { eventually } from '../support/eventually.ts';
import { startHub, type TestHub } from '../support/hub.ts';
import { agentBuilt, agentProcess, type AgentProcess } from './agent-process.ts';
import { configMap, createNamespace, kubeFor, rand, read } from './agent-support.ts';

const WAIT = { timeoutMs: 90_000, intervalMs: 500 };
const TEST_TIMEOUT = 300_000;
const AGENT_NS = 'flotilla-system';

interface Member {
  cluster: Cluster;
  kube: KubeClient;
  agent: AgentProcess;
}

let hub: TestHub;
let canary: Member;
let main: Member[] = [];

beforeAll(async () => {
  agentBuilt();
  const [startedHub, clusters] = await Promise.all([startHub({ env: { FLOTILLA_ROLLOUT_RECHECK_SECONDS: '2' } }), startClusters(3, { workloads: true })]);
  hub = startedHub;
  const token = (await hub.api('POST', '/api/v1/registration-tokens', { maxUses: 3, ttlSeconds: 3600 })).body.token as string;
  const members = await Promise.all(
    clusters.map(async (cluster, i) => {
      const kube = await kubeFor(cluster);
      await createNamespace(kube, AGENT_NS);
      const agent = agentProcess({
        hubAddress: hub.grpcAddress,
        caFile: hub.tls!.caFile,
        token,
        kubeconfigPath: cluster.kubeconfigPath,
        clusterName: cluster.name,
        labels: { tier: i === 0 ? 'canary' : 'main' },
        namespace: AGENT_NS,
      });
      agent.start();
      return { cluster, kube, agent };
    }),
  );
  [canary, ...main] = members as [Member, ...Member[]];
  await refuseBadConfig(canary.kube);
  await eventually(async () => expect((await hub.api('GET', '/api/v1/clusters')).body.items).toHaveLength(3), WAIT);
}, 600_000);

afterAll(async () => {
  const all = [canary, ...main].filter(Boolean);
  await Promise.all(all.map((m) => m.agent.stop()));
  for (const m of all) m.kube.close();
  await Promise.all(all.map((m) => m.cluster.stop()));
  await hub?.dispose();
  if (process.env.FLOTILLA_TEST_AGENT_LOGS) for (const m of all) console.log(m.agent.logs());
});

/** The canary's API server refuses a ConfigMap whose data.version is "bad": that revision fails there only. */
async function refuseBadConfig(kube: KubeClient): Promise<void> {
  const name = 'refuse-bad-config';
  await kube.request('POST', '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies', {
    body: {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name },
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['configmaps'] }] },
        validations: [{ expression: "!has(object.data) || !('version' in object.data) || object.data.version != 'bad'", message: 'version "bad" is refused on this cluster' }],
      },
    },
  });
  await kube.request('POST', '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicybindings', {
    body: {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name },
      spec: { policyName: name, validationActions: ['Deny'] },
    },
  });
}

const ns = `roll-${rand()}`;
const app = `app-${rand()}`;
const strategy = {
  partitions: [
    { name: 'canary', clusterSelector: { matchLabels: { tier: 'canary' } }, maxUnavailable: 0 },
    { name: 'main', clusterSelector: { matchLabels: { tier: 'main' } }, maxUnavailable: 0 },
  ],
};

async function put(name: string, resources: unknown[], extra: Record<string, unknown> = {}): Promise<string> {
  const res = await hub.api('PUT', `/api/v1/bundles/${name}`, { resources, targets: [{ clusterSelector: {} }], options: { defaultNamespace: ns }, ...extra });
  expect([200, 201], JSON.stringify(res.body)).toContain(res.status);
  return res.body.revision as string;
}

const appObjects = (version: string) => [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }, configMap('settings', ns, { version })];
const live = async (m: Member) => (await read(m.kube, `/api/v1/namespaces/${ns}/configmaps/settings`))?.data?.version as string | undefined;
const rollout = async () => (await hub.api('GET', `/api/v1/bundles/${app}/rollout`)).body;

describe('rollouts on real clusters', () => {
  it('rolls partition by partition, halts on a canary failure with the main partition untouched, promotes and rolls back', async () => {
    await put(app, appObjects('1'), { rolloutStrategy: strategy });
    await eventually(async () => {
      for (const m of [canary, ...main]) expect(await live(m), m.cluster.name).toBe('1');
      expect((await rollout()).rollout.state).toBe('Completed');
    }, WAIT);

    // v2: the canary first; main follows once the canary is Ready.
    await put(app, appObjects('2'), { rolloutStrategy: strategy });
    await eventually(async () => {
      for (const m of [canary, ...main]) expect(await live(m), m.cluster.name).toBe('2');
      expect((await rollout()).rollout).toMatchObject({ seq: 2, state: 'Completed' });
    }, WAIT);
    const events = (await hub.api('GET', `/api/v1/bundles/${app}/rollouts`)).body.items;
    expect(events[0].partitions.map((p: { name: string; state: string }) => `${p.name}:${p.state}`)).toEqual(['canary:Done', 'main:Done']);

    // "bad" fails on the canary: halted there, the main clusters keep 2.
    await put(app, appObjects('bad'), { rolloutStrategy: strategy });
    const halted = await eventually(async () => {
      const r = await rollout();
      expect(r.rollout).toMatchObject({ seq: 3, state: 'Halted' });
      return r;
    }, WAIT);
    expect(halted.rollout.partitions[0].failed).toEqual([expect.objectContaining({ cluster: canary.cluster.name, state: 'ErrApplied' })]);
    for (const m of main) expect(await live(m)).toBe('2');
    expect(await live(canary)).toBe('2');

    // Promote past the halt: main gets "bad" (it accepts it).
    expect((await hub.api('POST', `/api/v1/bundles/${app}/rollout/promote`, {})).status).toBe(200);
    await eventually(async () => {
      for (const m of main) expect(await live(m)).toBe('bad');
    }, WAIT);

    // Roll back to #2: every cluster returns to 2 and the canary recovers.
    const back = await hub.api('POST', `/api/v1/bundles/${app}/rollout/rollback`, { to: 2 });
    expect(back.status, JSON.stringify(back.body)).toBe(200);
    await eventually(async () => {
      for (const m of [canary, ...main]) expect(await live(m), m.cluster.name).toBe('2');
      expect((await rollout()).rollout).toMatchObject({ seq: 4, cause: 'rollback to #2', state: 'Completed' });
    }, WAIT);
  }, TEST_TIMEOUT);

  it('holds a bundle on each cluster until the bundle it depends on is Ready there', async () => {
    const db = `db-${rand()}`;
    const web = `web-${rand()}`;
    const dbNs = `db-${rand()}`;
    const deployment = (replicas: number) => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'db', namespace: dbNs },
      spec: {
        replicas,
        selector: { matchLabels: { app: 'db' } },
        template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image: 'registry.example/db:1' }] } },
      },
    });
    // The dependency is created without targets and paused, then targeted: staged everywhere, deployed nowhere yet.
    const dbBody = (targets: unknown[]) => ({ resources: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: dbNs } }, deployment(2)], targets, labels: { role: 'database' } });
    expect((await hub.api('PUT', `/api/v1/bundles/${db}`, dbBody([]))).status).toBe(201);
    expect((await hub.api('POST', `/api/v1/bundles/${db}/rollout/pause`)).status).toBe(200);
    expect((await hub.api('PUT', `/api/v1/bundles/${db}`, dbBody([{ clusterSelector: {} }]))).status).toBe(200);
    await put(web, [configMap('web', 'default', { needs: 'db' })], { dependsOn: [{ selector: { matchLabels: { role: 'database' } } }], options: {} });
    await new Promise((r) => setTimeout(r, 3000));
    for (const m of [canary, ...main]) expect(await read(m.kube, '/api/v1/namespaces/default/configmaps/web'), m.cluster.name).toBeUndefined();
    expect((await hub.api('GET', `/api/v1/bundles/${web}/rollout`)).body.rollout.message).toContain('wait for dependencies');

    expect((await hub.api('POST', `/api/v1/bundles/${db}/rollout/resume`)).status).toBe(200);
    await eventually(async () => {
      for (const m of [canary, ...main]) {
        expect((await read(m.kube, `/apis/apps/v1/namespaces/${dbNs}/deployments/db`))?.status?.availableReplicas, m.cluster.name).toBe(2);
        expect((await read(m.kube, '/api/v1/namespaces/default/configmaps/web'))?.data, m.cluster.name).toEqual({ needs: 'db' });
      }
    }, WAIT);
  }, TEST_TIMEOUT);
});
