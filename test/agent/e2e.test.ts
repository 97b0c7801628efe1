/**
 * End to end: a real hub, three workloads clusters, and the built agent
 * running as a process per cluster (as in a pod, with its cluster's
 * kubeconfig). Bundles go in through the hub's REST API; everything is
 * checked in the clusters and in the hub's status API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeClient } from '../../agent/src/kube/kube-client.ts';
import { startClusters, type Cluster } from '../clusters/index.ts';
import { eventually } from '../support/eventually.ts';
import { startHub, type TestHub } from '../support/hub.ts';
import { agentBuilt, agentProcess, type AgentProcess } from './agent-process.ts';
import { configMap, createNamespace, kubeFor, rand, read } from './agent-support.ts';

const WAIT = { timeoutMs: 90_000, intervalMs: 500 };
/** Per test: several waits of up to WAIT each. */
const TEST_TIMEOUT = 300_000;
const AGENT_NS = 'flotilla-system';

interface Member {
  cluster: Cluster;
  kube: KubeClient;
  agent: AgentProcess;
  labels: Record<string, string>;
}

let hub: TestHub;
let members: Member[] = [];

beforeAll(async () => {
  agentBuilt();
  const [startedHub, clusters] = await Promise.all([startHub(), startClusters(3, { workloads: true })]);
  hub = startedHub;
  const token = (await hub.api('POST', '/api/v1/registration-tokens', { maxUses: 3, ttlSeconds: 3600 })).body.token as string;
  const labels = [{ env: 'prod' }, { env: 'prod' }, { env: 'dev' }];
  members = await Promise.all(
    clusters.map(async (cluster, i) => {
      const kube = await kubeFor(cluster);
      await createNamespace(kube, AGENT_NS);
      const agent = agentProcess({
        hubAddress: hub.grpcAddress,
        caFile: hub.tls!.caFile,
        token,
        kubeconfigPath: cluster.kubeconfigPath,
        clusterName: cluster.name,
        labels: labels[i]!,
        namespace: AGENT_NS,
      });
      agent.start();
      return { cluster, kube, agent, labels: labels[i]! };
    }),
  );
  await eventually(async () => {
    const list = (await hub.api('GET', '/api/v1/clusters')).body;
    const items = Array.isArray(list) ? list : list.items;
    expect(items.map((c: { name: string }) => c.name).sort()).toEqual(members.map((m) => m.cluster.name).sort());
  }, WAIT);
}, 600_000);

afterAll(async () => {
  await Promise.all(members.map((m) => m.agent.stop()));
  for (const m of members) m.kube.close();
  await Promise.all(members.map((m) => m.cluster.stop()));
  await hub?.dispose();
  if (process.env.FLOTILLA_TEST_AGENT_LOGS) for (const m of members) console.log(m.agent.logs());
});

const app = `web-${rand()}`;
const appNs = `shop-${rand()}`;

function webBundle(options: { settings?: Record<string, string> | null; replicas?: number } = {}) {
  const resources: unknown[] = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: appNs } },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: appNs },
      spec: {
        replicas: options.replicas ?? 2,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'registry.example/web:1' }] } },
      },
    },
  ];
  if (options.settings !== null) resources.push(configMap('settings', appNs, options.settings ?? { color: 'blue' }));
  return resources;
}

async function putBundle(name: string, resources: unknown[], targets: unknown[], options: Record<string, unknown> = {}): Promise<string> {
  const res = await hub.api('PUT', `/api/v1/bundles/${name}`, { resources, targets, options });
  expect([200, 201], JSON.stringify(res.body)).toContain(res.status);
  return res.body.revision as string;
}

async function statusOf(bundle: string): Promise<Map<string, any>> {
  const res = await hub.api('GET', `/api/v1/bundles/${bundle}/status`);
  expect(res.status).toBe(200);
  return new Map(res.body.items.map((c: { clusterName: string }) => [c.clusterName, c]));
}

async function expectReady(bundle: string, clusters: Member[], revision: string): Promise<void> {
  await eventually(async () => {
    const status = await statusOf(bundle);
    expect([...status.keys()].sort()).toEqual(clusters.map((m) => m.cluster.name).sort());
    for (const m of clusters) {
      const s = status.get(m.cluster.name);
      expect(s, m.cluster.name).toMatchObject({ state: 'Ready', appliedRevision: revision });
    }
  }, WAIT);
}

const cmPath = (name: string, ns = appNs) => `/api/v1/namespaces/${ns}/configmaps/${name}`;
const deployPath = `/apis/apps/v1/namespaces/${appNs}/deployments/web`;

/** Changes a field as someone with kubectl would (another field manager). */
async function editByHand(kube: KubeClient, path: string, patch: unknown): Promise<void> {
  await kube.request('PATCH', path, { query: { fieldManager: 'kubectl-edit' }, body: patch, contentType: 'application/merge-patch+json' });
}

describe('agent end to end', () => {
  let revision1 = '';

  it('applies a bundle to exactly the clusters its selector matches, and it becomes Ready', async () => {
    revision1 = await putBundle(app, webBundle(), [{ clusterSelector: { matchLabels: { env: 'prod' } } }]);
    const [a, b, c] = members as [Member, Member, Member];
    await expectReady(app, [a, b], revision1);
    for (const m of [a, b]) {
      const deploy = await read(m.kube, deployPath);
      expect(deploy.status.availableReplicas).toBe(2);
      expect(deploy.metadata.labels['flotilla.dev/bundle']).toBe(app);
    }
    expect(await read(c.kube, `/api/v1/namespaces/${appNs}`)).toBeUndefined();
    // Fields the Deployment controller writes (status, the revision annotation) are not drift.
    for (const s of (await statusOf(app)).values()) {
      const detail = (await hub.api('GET', `/api/v1/deployments/${s.deploymentId}`)).body;
      expect(detail.resources.flatMap((r: { diffs: unknown[] }) => r.diffs)).toEqual([]);
    }
  }, TEST_TIMEOUT);

  it('rolls a new revision out everywhere', async () => {
    const revision2 = await putBundle(app, webBundle({ settings: { color: 'green' } }), [{ clusterSelector: { matchLabels: { env: 'prod' } } }]);
    expect(revision2).not.toBe(revision1);
    const [a, b] = members as [Member, Member];
    await expectReady(app, [a, b], revision2);
    for (const m of [a, b]) expect((await read(m.kube, cmPath('settings'))).data).toEqual({ color: 'green' });
  }, TEST_TIMEOUT);

  it('prunes an object removed from the bundle', async () => {
    const revision = await putBundle(app, webBundle({ settings: null }), [{ clusterSelector: { matchLabels: { env: 'prod' } } }]);
    const [a, b] = members as [Member, Member];
    await expectReady(app, [a, b], revision);
    for (const m of [a, b]) expect(await read(m.kube, cmPath('settings'))).toBeUndefined();
  }, TEST_TIMEOUT);

  it('removes the bundle from a cluster that is no longer targeted', async () => {
    const [a, b] = members as [Member, Member];
    const revision = await putBundle(app, webBundle(), [{ clusterName: a.cluster.name }]);
    await expectReady(app, [a], revision);
    await eventually(async () => {
      expect(await read(b.kube, deployPath)).toBeUndefined();
      const ns = await read(b.kube, `/api/v1/namespaces/${appNs}`);
      expect(ns === undefined || ns.status.phase === 'Terminating').toBe(true);
      expect(await read(b.kube, `/api/v1/namespaces/${AGENT_NS}/configmaps/flotilla-inventory-${app}`)).toBeUndefined();
    }, WAIT);
    expect(await read(a.kube, deployPath)).toBeDefined();
  }, TEST_TIMEOUT);

  it('reports a hand edit as Modified with the changed field', async () => {
    const a = members[0]!;
    await editByHand(a.kube, cmPath('settings'), { data: { color: 'red' } });
    await eventually(async () => {
      const s = (await statusOf(app)).get(a.cluster.name);
      expect(s.state).toBe('Modified');
      const deployment = (await hub.api('GET', `/api/v1/deployments/${s.deploymentId}`)).body;
      const settings = deployment.resources.find((r: { name: string }) => r.name === 'settings');
      expect(settings).toMatchObject({ state: 'Modified', diffs: [{ path: '/data/color', desired: '"blue"', live: '"red"' }] });
    }, WAIT);
    expect((await read(a.kube, cmPath('settings'))).data).toEqual({ color: 'red' });
  }, TEST_TIMEOUT);

  it('reverts drift with correctDrift, also a deleted object', async () => {
    const a = members[0]!;
    const revision = await putBundle(app, webBundle(), [{ clusterName: a.cluster.name }], { correctDrift: true });
    await eventually(async () => expect((await read(a.kube, cmPath('settings'))).data).toEqual({ color: 'blue' }), WAIT);
    await expectReady(app, [a], revision);

    await a.kube.request('DELETE', cmPath('settings'));
    await eventually(async () => expect((await read(a.kube, cmPath('settings')))?.data).toEqual({ color: 'blue' }), WAIT);
  }, TEST_TIMEOUT);

  it('backs off when another actor keeps undoing its drift correction, and says so', async () => {
    const c = members[2]!;
    const bundle = `fight-${rand()}`;
    const revision = await putBundle(bundle, [configMap('contested', 'default', { owner: 'git' })], [{ clusterName: c.cluster.name }], { correctDrift: true });
    await expectReady(bundle, [c], revision);
    const corrections = () => c.agent.logs().split('\n').filter((l) => l.includes('"msg":"corrected drift"') && l.includes('ConfigMap default/contested')).length;

    // A script that rewrites the field every 200 ms for 8 s: unthrottled, the agent would correct ~40 times.
    const path = cmPath('contested', 'default');
    const until = Date.now() + 8_000;
    await eventually(
      async () => {
        await editByHand(c.kube, path, { data: { owner: 'script' } });
        return Date.now() >= until;
      },
      { timeoutMs: 20_000, intervalMs: 200, description: 'the other actor rewriting the field for 8 s' },
    );
    // Corrections at ~0, 5 and 15 s into the fight (5 s, then 10 s apart): at most 2 within the 8 s, allow slack.
    expect(corrections()).toBeGreaterThanOrEqual(1);
    expect(corrections()).toBeLessThanOrEqual(3);
    await eventually(async () => {
      const s = (await statusOf(bundle)).get(c.cluster.name);
      expect(s.state).toBe('Modified');
      expect(JSON.stringify(s)).toMatch(/drift keeps coming back \(\/data\/owner\): corrected \d+ time\(s\) since .*; next correction in \d+ s/);
    }, WAIT);
    // Once the script stops, the postponed correction wins and the bundle is Ready again.
    await eventually(async () => expect((await read(c.kube, path)).data).toEqual({ owner: 'git' }), WAIT);
    await expectReady(bundle, [c], revision);
    await hub.api('DELETE', `/api/v1/bundles/${bundle}`);
  }, TEST_TIMEOUT);

  it('keeps correcting drift while the hub is down, and statuses catch up when it returns', async () => {
    const a = members[0]!;
    // A second bundle without correctDrift, whose drift can only be reported.
    const cfg = `cfg-${rand()}`;
    const cfgRevision = await putBundle(cfg, [configMap('report-me', appNs, { v: '1' })], [{ clusterName: a.cluster.name }]);
    await expectReady(cfg, [a], cfgRevision);

    await hub.stop();
    await editByHand(a.kube, deployPath, { spec: { replicas: 5 } });
    await editByHand(a.kube, cmPath('report-me'), { data: { v: '2' } });
    await eventually(async () => expect((await read(a.kube, deployPath)).spec.replicas).toBe(2), WAIT);
    expect((await read(a.kube, cmPath('report-me'))).data).toEqual({ v: '2' });

    await hub.start();
    await eventually(async () => {
      const s = (await statusOf(cfg)).get(a.cluster.name);
      expect(s.state).toBe('Modified');
    }, WAIT);
    await expectReady(app, [a], (await hub.api('GET', `/api/v1/bundles/${app}`)).body.revision);
    await hub.api('DELETE', `/api/v1/bundles/${cfg}`);
    await eventually(async () => expect(await read(a.kube, cmPath('report-me'))).toBeUndefined(), WAIT);
  }, TEST_TIMEOUT);

  it('restarts without re-applying, with its inventory intact', async () => {
    const a = members[0]!;
    const paths = [deployPath, cmPath('settings'), `/api/v1/namespaces/${appNs}`];
    const snapshot = async () =>
      Promise.all(
        paths.map(async (p) => {
          const obj = await read(a.kube, p);
          const applied = obj.metadata.managedFields.find((f: { manager: string }) => f.manager === 'flotilla-agent');
          return { rv: obj.metadata.resourceVersion, applyTime: applied?.time };
        }),
      );
    const before = await snapshot();
    const logLength = a.agent.logs().length;

    await a.agent.kill();
    const restartedAt = new Date();
    a.agent.start();
    // Back online and Ready. The restarted agent's own log says it reconnected: the hub's lastSeenAt alone can
    // move after the kill (the presence flush of the old stream's last heartbeat). An unchanged report writes
    // nothing, so the deployment's reportedAt, the time its status last changed, stays put.
    await eventually(() => expect(a.agent.logs().slice(logLength)).toContain('connected to the hub'), WAIT);
    await eventually(async () => {
      const s = (await statusOf(app)).get(a.cluster.name);
      expect(s.state).toBe('Ready');
      const cluster = (await hub.api('GET', `/api/v1/clusters/${s.clusterId}`)).body;
      expect(cluster.connection).toBe('online');
      expect(new Date(cluster.lastSeenAt).getTime()).toBeGreaterThan(restartedAt.getTime());
    }, WAIT);
    const after = await snapshot();
    const logsSinceRestart = a.agent.logs().slice(logLength);
    expect(logsSinceRestart).toContain('using the stored cluster credential');
    expect(logsSinceRestart).not.toContain('"msg":"revision applied"');
    // Only the Deployment's status moves by itself (kwok); what the agent applies is untouched.
    expect(after.map((s) => s.applyTime)).toEqual(before.map((s) => s.applyTime));
    expect(after[1]!.rv).toBe(before[1]!.rv);
    expect(after[2]!.rv).toBe(before[2]!.rv);

    const revision = await putBundle(app, webBundle({ settings: null }), [{ clusterName: a.cluster.name }], { correctDrift: true });
    await expectReady(app, [a], revision);
    expect(await read(a.kube, cmPath('settings'))).toBeUndefined();
  }, TEST_TIMEOUT);

  it('keeps enforcing after its credential is revoked, says what to do, and does not retry in a tight loop', async () => {
    const b = members[1]!;
    const bundle = `rev-${rand()}`;
    const revision = await putBundle(bundle, [configMap('guarded', 'default', { v: '1' })], [{ clusterName: b.cluster.name }], { correctDrift: true });
    await expectReady(bundle, [b], revision);
    const clusterId = (await statusOf(bundle)).get(b.cluster.name).clusterId as string;

    const revoked = await hub.api('POST', `/api/v1/clusters/${clusterId}/revoke`);
    expect(revoked.status).toBeLessThan(300);
    const rejected = 'the hub rejected the cluster credential';
    await eventually(() => expect(b.agent.logs()).toContain(rejected), WAIT);
    expect(b.agent.logs()).toContain('delete Secret flotilla-agent-credential and restart the agent with a registration token issued for this cluster');

    await editByHand(b.kube, cmPath('guarded', 'default'), { data: { v: '2' } });
    await eventually(async () => expect((await read(b.kube, cmPath('guarded', 'default'))).data).toEqual({ v: '1' }), WAIT);
    expect(b.agent.logs().split(rejected).length - 1).toBe(1);
  }, TEST_TIMEOUT);
});
