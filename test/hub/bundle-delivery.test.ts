import { createHash } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HubClient } from '../../agent/src/connection/hub.client.ts';
import { agentClient, credentialMetadata, fetchContent, grpcFailure, latestDesired, register, reportStatus, watch, type OpenWatch } from '../support/agent-client.ts';
import { query } from '../support/database.ts';
import { eventually } from '../support/eventually.ts';
import { startHub, type TestHub } from '../support/hub.ts';

let hub: TestHub;
let token: string;
/** Streams opened by the test that is running, closed after it. */
const streams: OpenWatch[] = [];

beforeAll(async () => {
  hub = await startHub();
  token = (await hub.api('POST', '/api/v1/registration-tokens', {})).body.token;
});
afterEach(() => {
  for (const stream of streams.splice(0)) stream.cancel();
});
afterAll(async () => {
  await hub?.dispose();
});

type Agent = { name: string; clusterId: string; credential: string; stream: OpenWatch };

/**
 * Three watching clusters of the calling test's own: names and a `run`
 * label unique to it, so that no test sees another's bundles, groups or
 * label changes, and each can run alone (`-t`).
 */
async function fleet(): Promise<{ run: string; agents: Record<'eu-prod' | 'us-prod' | 'eu-dev', Agent> }> {
  const run = Math.random().toString(36).slice(2, 10);
  const agents = {} as Record<'eu-prod' | 'us-prod' | 'eu-dev', Agent>;
  for (const [role, labels] of [
    ['eu-prod', { env: 'prod', region: 'eu' }],
    ['us-prod', { env: 'prod', region: 'us' }],
    ['eu-dev', { env: 'dev', region: 'eu' }],
  ] as const) {
    const name = `${role}-${run}`;
    const reg = await register(hub, { token, identity: `delivery-${name}`, labels: { ...labels, run }, name });
    const stream = watch(hub, reg.credential);
    streams.push(stream);
    agents[role] = { name, clusterId: reg.clusterId, credential: reg.credential, stream };
  }
  return { run, agents };
}

const configMap = (name: string, data: Record<string, string> = { a: '1' }) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });
const bundleNames = (agent: Agent) => latestDesired(agent.stream)?.deployments.map((d) => d.bundleName) ?? [];
const unique = (name: string) => `${name}-${Math.random().toString(36).slice(2, 10)}`;

describe('bundle delivery', () => {
  it('delivers a bundle to exactly the targeted clusters, and follows retargeting', async () => {
    const { run, agents } = await fleet();
    const web = unique('web');
    const put = await hub.api('PUT', `/api/v1/bundles/${web}`, {
      resources: [configMap('web')],
      targets: [{ clusterSelector: { matchLabels: { env: 'prod', run } } }],
      options: { defaultNamespace: 'web', correctDrift: true },
    });
    expect(put.status).toBe(201);
    expect(put.body.revision).toMatch(/^sha256:/);
    await eventually(() => {
      expect(bundleNames(agents['eu-prod'])).toEqual([web]);
      expect(bundleNames(agents['us-prod'])).toEqual([web]);
    });
    expect(bundleNames(agents['eu-dev'])).toEqual([]);
    const assignment = latestDesired(agents['eu-prod'].stream)!.deployments[0]!;
    expect(assignment).toMatchObject({ revision: put.body.revision, options: { defaultNamespace: 'web', correctDrift: true, keepResources: false } });

    // Retarget: eu only. us-prod loses it, eu-dev gains it, eu-prod keeps the same deployment.
    await hub.api('PUT', `/api/v1/bundles/${web}`, { resources: [configMap('web')], targets: [{ clusterSelector: { matchLabels: { region: 'eu', run } } }], options: { defaultNamespace: 'web', correctDrift: true } });
    await eventually(() => {
      expect(bundleNames(agents['us-prod'])).toEqual([]);
      expect(bundleNames(agents['eu-dev'])).toEqual([web]);
    });
    expect(latestDesired(agents['eu-prod'].stream)!.deployments[0]!.deploymentId).toBe(assignment.deploymentId);
  });

  it('follows cluster label changes and groups', async () => {
    const { run, agents } = await fleet();
    const group = unique('americas');
    const usOnly = unique('us-only');
    await hub.api('POST', '/api/v1/cluster-groups', { name: group, selector: { matchLabels: { region: 'us', run } } });
    await hub.api('PUT', `/api/v1/bundles/${usOnly}`, { resources: [configMap('us')], targets: [{ clusterGroup: group }] });
    await eventually(() => expect(bundleNames(agents['us-prod'])).toContain(usOnly));
    await hub.api('PATCH', `/api/v1/clusters/${agents['eu-dev'].clusterId}`, { labels: { env: 'dev', region: 'us', run } });
    await eventually(() => expect(bundleNames(agents['eu-dev'])).toContain(usOnly));
    await hub.api('PATCH', `/api/v1/clusters/${agents['eu-dev'].clusterId}`, { labels: { env: 'dev', region: 'eu', run } });
    await eventually(() => expect(bundleNames(agents['eu-dev'])).not.toContain(usOnly));
  });

  it('stores identical content once and gives it the same revision', async () => {
    // Content unique to this test, so that the row count does not depend on other tests.
    const same = unique('same');
    const [nameA, nameB] = [unique('same-a'), unique('same-b')];
    const a = await hub.api('PUT', `/api/v1/bundles/${nameA}`, { resources: [configMap(same)], targets: [] });
    const b = await hub.api('PUT', `/api/v1/bundles/${nameB}`, { manifests: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${same}\ndata:\n  a: "1"\n`, targets: [] });
    expect(b.body.revision).toBe(a.body.revision);
    const rows = await query(hub.database.url, 'SELECT id FROM bundle_revisions WHERE id = $1', [a.body.revision]);
    expect(rows).toHaveLength(1);
    const again = await hub.api('PUT', `/api/v1/bundles/${nameA}`, { resources: [configMap(same)], targets: [] });
    expect(again).toMatchObject({ status: 200, body: { revision: a.body.revision } });
  });

  it('streams a 20 MiB bundle in chunks, only to clusters it is assigned to', async () => {
    const { agents } = await fleet();
    const name = unique('big');
    const big = Array.from({ length: 20 }, (_, i) => configMap(`big-${i}`, { blob: 'x'.repeat(1024 * 1024) }));
    const put = await hub.api('PUT', `/api/v1/bundles/${name}`, { resources: big, targets: [{ clusterName: agents['eu-prod'].name }] });
    expect(put.status).toBe(201);
    expect(put.body.size).toBeGreaterThan(20 * 1024 * 1024);
    await eventually(() => expect(bundleNames(agents['eu-prod'])).toContain(name));
    const content = await fetchContent(hub, agents['eu-prod'].credential, put.body.revision);
    expect(content.chunks).toBeGreaterThan(20);
    expect(content.totalSize).toBe(put.body.size);
    expect(`sha256:${createHash('sha256').update(content.bytes).digest('hex')}`).toBe(put.body.revision);
    expect(JSON.parse(content.bytes.toString('utf8'))).toHaveLength(20);
    // Another cluster cannot read it, whether or not it exists.
    const denied = await grpcFailure(fetchContent(hub, agents['us-prod'].credential, put.body.revision));
    expect(denied).toMatchObject({ code: status.PERMISSION_DENIED, reason: 'RevisionNotAssigned' });
    const malformed = await grpcFailure(fetchContent(hub, agents['us-prod'].credential, 'sha1:abc'));
    expect(malformed.code).toBe(status.INVALID_ARGUMENT);
  });

  it('streams several revisions in one GetBundleContents call, in the order asked, only when every one is the cluster\'s', async () => {
    const { agents } = await fleet();
    const [nameA, nameB, nameC] = [unique('many-a'), unique('many-b'), unique('many-c')];
    const put = async (name: string, cluster: Agent) =>
      (await hub.api('PUT', `/api/v1/bundles/${name}`, { resources: [configMap(name)], targets: [{ clusterName: cluster.name }] })).body.revision as string;
    const [revA, revB, revC] = [await put(nameA, agents['eu-prod']), await put(nameB, agents['eu-prod']), await put(nameC, agents['us-prod'])];
    await eventually(() => expect(bundleNames(agents['eu-prod'])).toEqual(expect.arrayContaining([nameA, nameB])));
    await eventually(() => expect(bundleNames(agents['us-prod'])).toContain(nameC));
    // The agent's own client: its assembler checks order, sizes and digests.
    const client = new HubClient(hub.grpcAddress, { mode: 'ca', caPem: hub.tls!.caPem, caFile: '' });
    try {
      const credential = agents['eu-prod'].credential;
      const contents = await client.fetchContents(credential, [revB, revA]);
      expect([...contents.keys()]).toEqual([revB, revA]);
      expect(contents.get(revA)!.equals((await fetchContent(hub, credential, revA)).bytes)).toBe(true);
      expect(JSON.parse(contents.get(revB)!.toString('utf8'))).toEqual([expect.objectContaining({ metadata: expect.objectContaining({ name: nameB }) })]);

      // One revision of another cluster fails the whole call before any content is sent.
      const received: unknown[] = [];
      const raw = (revisions: string[]) => {
        const call = agentClient(hub).getBundleContents({ revisions }, credentialMetadata(credential));
        call.on('data', (m) => received.push(m));
        return grpcFailure(new Promise((resolve, reject) => (call.on('error', reject), call.on('end', resolve))));
      };
      const denied = await raw([revA, revC]);
      expect(denied).toMatchObject({ code: status.PERMISSION_DENIED, reason: 'RevisionNotAssigned', details: `revision ${revC} is not assigned to this cluster (field revisions[1])` });
      expect(received).toEqual([]);
      const malformed = await raw([revA, 'sha1:abc']);
      expect(malformed).toMatchObject({ code: status.INVALID_ARGUMENT, details: 'revision must look like sha256:<64 hex digits> (field revisions[1])' });
      expect(received).toEqual([]);

      const twice = await grpcFailure(client.fetchContents(credential, [revA, revA]));
      expect(twice).toMatchObject({ code: status.INVALID_ARGUMENT, reason: 'ValidationFailed' });
      expect(twice.details).toContain('revisions[1]');
      const tooMany = await grpcFailure(client.fetchContents(credential, Array.from({ length: 65 }, (_, i) => `sha256:${i.toString(16).padStart(64, '0')}`)));
      expect(tooMany).toMatchObject({ code: status.INVALID_ARGUMENT, reason: 'ValidationFailed' });
      expect(tooMany.details).toContain('1 to 64 revisions (got 65)');
    } finally {
      client.close();
    }
  });

  it('records statuses from the owning cluster only and shows them per bundle, cluster and deployment', async () => {
    const { run, agents } = await fleet();
    const web = unique('web');
    const euProd = agents['eu-prod'];
    const targets = [{ clusterSelector: { matchLabels: { region: 'eu', run } } }];
    await hub.api('PUT', `/api/v1/bundles/${web}`, { resources: [configMap('web')], targets, options: { defaultNamespace: 'web', correctDrift: true } });
    await eventually(() => expect(bundleNames(euProd)).toContain(web));
    const deployment = latestDesired(euProd.stream)!.deployments.find((d) => d.bundleName === web)!;
    const clusterOf = (body: { items: { clusterName: string }[] }) => body.items.find((c) => c.clusterName === euProd.name) as Record<string, unknown>;
    const pending = (await hub.api('GET', `/api/v1/bundles/${web}/status`)).body;
    expect(clusterOf(pending).state).toBe('WaitApplied');

    // us-prod reporting on eu-prod's deployment is ignored.
    const stranger = await reportStatus(hub, agents['us-prod'].credential, [{ deploymentId: deployment.deploymentId, appliedRevision: deployment.revision, state: 7, reason: 'x', message: 'forged', resources: [] }]);
    expect(stranger.accepted).toBe(0);

    const report = {
      deploymentId: deployment.deploymentId,
      appliedRevision: deployment.revision,
      state: 5, // Modified
      reason: 'Drifted',
      message: 'ConfigMap web/web modified',
      resources: [{ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'web', name: 'web', state: 5, message: 'drifted', diffs: [{ path: '/data/a', desired: '"1"', live: '"2"' }] }],
    };
    expect((await reportStatus(hub, euProd.credential, [report])).accepted).toBe(1);
    const status = (await hub.api('GET', `/api/v1/bundles/${web}/status`)).body;
    expect(status.counts.Modified).toBe(1);
    expect(clusterOf(status)).toMatchObject({ state: 'Modified', reason: 'Drifted', appliedRevision: deployment.revision });
    const detail = (await hub.api('GET', `/api/v1/deployments/${deployment.deploymentId}`)).body;
    expect(detail.resources[0].diffs).toEqual([{ path: '/data/a', desired: '"1"', live: '"2"' }]);
    const perCluster = (await hub.api('GET', `/api/v1/clusters/${euProd.clusterId}/deployments`)).body.items;
    expect(perCluster.map((d: { bundleName: string }) => d.bundleName)).toContain(web);

    // A new revision resets the deployment to WaitApplied until the agent reports it.
    await hub.api('PUT', `/api/v1/bundles/${web}`, { resources: [configMap('web', { a: '2' })], targets, options: { defaultNamespace: 'web', correctDrift: true } });
    await eventually(async () => {
      const s = (await hub.api('GET', `/api/v1/bundles/${web}/status`)).body;
      expect(clusterOf(s).state).toBe('WaitApplied');
    });
  });

  it('removes the deployment from every stream when the bundle is deleted', async () => {
    const { agents } = await fleet();
    const doomed = unique('doomed');
    await hub.api('PUT', `/api/v1/bundles/${doomed}`, { resources: [configMap('doomed')], targets: [{ clusterName: agents['us-prod'].name }] });
    await eventually(() => expect(bundleNames(agents['us-prod'])).toContain(doomed));
    expect((await hub.api('DELETE', `/api/v1/bundles/${doomed}`)).status).toBe(204);
    await eventually(() => expect(bundleNames(agents['us-prod'])).not.toContain(doomed));
    expect((await hub.api('GET', `/api/v1/bundles/${doomed}`)).status).toBe(404);
  });

  it.each([
    [{ manifests: 'kind: [', targets: [] }, 'InvalidManifest', 'manifests'],
    [{ manifests: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n', targets: [] }, 'InvalidManifest', 'manifests'],
    [{ resources: [configMap('a'), configMap('a')], targets: [] }, 'InvalidManifest', 'resources[1]'],
    [{ resources: [], manifests: '', targets: [] }, 'ValidationFailed', 'body.manifests'],
    [{ resources: [configMap('a')], targets: [{}] }, 'InvalidTarget', 'targets[0]'],
    [{ resources: [configMap('a')], targets: [{ clusterGroup: 'no-such-group' }] }, 'InvalidTarget', 'targets[0].clusterGroup'],
    [{ resources: [configMap('a')], targets: [], options: { comparePatches: [{ jsonPointers: ['spec.replicas'] }] } }, 'ValidationFailed', 'body.options.comparePatches.0.jsonPointers.0'],
    // Compare patches travel in every desired state of every targeted cluster: bounded (issue 9).
    [{ resources: [configMap('a')], targets: [], options: { comparePatches: Array.from({ length: 65 }, () => ({ jsonPointers: ['/data'] })) } }, 'ValidationFailed', 'body.options.comparePatches'],
    [{ resources: [configMap('a')], targets: [], options: { comparePatches: [{ jsonPointers: [`/${'x'.repeat(300)}`] }] } }, 'ValidationFailed', 'body.options.comparePatches.0.jsonPointers.0'],
  ])('rejects a bad bundle %j with %s on %s and changes nothing', async (input, error, field) => {
    // An existing bundle of this test's own, which the bad PUT must leave as it was.
    const name = unique('web');
    expect((await hub.api('PUT', `/api/v1/bundles/${name}`, { resources: [configMap('web')], targets: [] })).status).toBe(201);
    const before = (await hub.api('GET', `/api/v1/bundles/${name}`)).body;
    const res = await hub.api('PUT', `/api/v1/bundles/${name}`, input);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error, field });
    expect((await hub.api('GET', `/api/v1/bundles/${name}`)).body).toEqual(before);
  });

  it('rejects a bad bundle name', async () => {
    const res = await hub.api('PUT', '/api/v1/bundles/Not_Valid', { resources: [], targets: [] });
    expect(res).toMatchObject({ status: 400, body: { field: 'params.name' } });
  });
});
