import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fetchContent, latestDesired, register, watch, type OpenWatch } from '../support/agent-client.ts';
import { archiveOf } from '../support/bundle-archive.ts';
import { query } from '../support/database.ts';
import { eventually } from '../support/eventually.ts';
import { startHub, type TestHub } from '../support/hub.ts';
import { toolPath } from '../clusters/index.ts';

/**
 * A bundle directory uploaded to the hub renders per targeted cluster, once
 * per distinct customisation (issue #10): fleet.yaml targetCustomizations and
 * ${ } templates decide what each cluster receives; a failed render leaves
 * every cluster on its last good revision.
 */
let hub: TestHub;
let token: string;
const streams: OpenWatch[] = [];

beforeAll(async () => {
  hub = await startHub({ env: { FLOTILLA_HELM: await toolPath('helm'), FLOTILLA_KUSTOMIZE: await toolPath('kustomize') } });
  token = (await hub.api('POST', '/api/v1/registration-tokens', {})).body.token;
}, 600_000);
afterEach(() => {
  for (const s of streams.splice(0)) s.cancel();
});
afterAll(async () => {
  await hub?.dispose();
});

type Agent = { clusterId: string; credential: string; stream: OpenWatch };
const ROLES = { 'eu-prod': { env: 'prod', region: 'eu' }, 'us-prod': { env: 'prod', region: 'us' }, 'eu-dev': { env: 'dev', region: 'eu' } } as const;

async function fleet(): Promise<{ run: string; agents: Record<keyof typeof ROLES, Agent> }> {
  const run = Math.random().toString(36).slice(2, 10);
  const agents = {} as Record<keyof typeof ROLES, Agent>;
  for (const [role, labels] of Object.entries(ROLES) as [keyof typeof ROLES, Record<string, string>][]) {
    const reg = await register(hub, { token, identity: `dir-${role}-${run}`, labels: { ...labels, run }, name: `${role}-${run}` });
    const stream = watch(hub, reg.credential);
    streams.push(stream);
    agents[role] = { clusterId: reg.clusterId, credential: reg.credential, stream };
  }
  return { run, agents };
}

/** A local Helm chart whose fleet.yaml sets replicas per environment and templates the region into a value. */
function chartBundle(template = 'replicas: {{ .Values.replicas }}'): Record<string, string> {
  return {
    'fleet.yaml': `defaultNamespace: shop
helm:
  releaseName: web
  values:
    replicas: 1
    region: "\${ .ClusterLabels.region }"
targetCustomizations:
  - name: prod
    clusterSelector:
      matchLabels: { env: prod }
    helm:
      values:
        replicas: 3
  - name: dev
    clusterSelector:
      matchLabels: { env: dev }
    doNotDeploy: true
`,
    'Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
    'templates/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
spec:
  ${template}
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: "nginx:1.27" }] }
`,
    'templates/region.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: region\ndata:\n  region: {{ .Values.region | quote }}\n',
  };
}

const unique = (name: string) => `${name}-${Math.random().toString(36).slice(2, 8)}`;
const assignments = (a: Agent) => latestDesired(a.stream)?.deployments ?? [];

async function objectsOf(agent: Agent): Promise<any[]> {
  const [assignment] = assignments(agent);
  const { bytes } = await fetchContent(hub, agent.credential, assignment!.revision);
  return JSON.parse(bytes.toString('utf8'));
}

describe('directory bundles', () => {
  it('renders per customisation and delivers each cluster its own objects', async () => {
    const { run, agents } = await fleet();
    const name = unique('web');
    const put = await hub.api('PUT', `/api/v1/bundles/${name}`, { directory: { archive: await archiveOf(chartBundle()) }, targets: [{ clusterSelector: { matchLabels: { run } } }] });
    expect(put.status).toBe(201);
    expect(put.body).toMatchObject({ revision: null, source: { digest: expect.stringMatching(/^sha256:/), files: 3 } });
    await eventually(() => {
      expect(assignments(agents['eu-prod'])).toHaveLength(1);
      expect(assignments(agents['us-prod'])).toHaveLength(1);
    });
    const eu = await objectsOf(agents['eu-prod']);
    const us = await objectsOf(agents['us-prod']);
    expect(eu.find((o) => o.kind === 'Deployment')).toMatchObject({ metadata: { name: 'web' }, spec: { replicas: 3 } });
    expect(eu.find((o) => o.kind === 'ConfigMap').data).toEqual({ region: 'eu' });
    expect(us.find((o) => o.kind === 'ConfigMap').data).toEqual({ region: 'us' });
    expect(assignments(agents['eu-prod'])[0]!.revision).not.toBe(assignments(agents['us-prod'])[0]!.revision);
    expect(assignments(agents['eu-prod'])[0]!.options).toMatchObject({ defaultNamespace: 'shop' });
    // doNotDeploy: the dev cluster gets nothing.
    expect(assignments(agents['eu-dev'])).toEqual([]);
    const bundle = (await hub.api('GET', `/api/v1/bundles/${name}`)).body;
    expect(bundle.render).toEqual({ state: 'Rendered', reason: '', message: '' });
    // Two distinct customisations (eu-prod, us-prod): two renders, not one per cluster.
    const renders = await query<any>(hub.database.url, `SELECT count(*)::int AS n FROM bundle_renders WHERE source_id = $1`, [bundle.source.digest]);
    expect(renders[0].n).toBe(2);
  });

  it('re-customises when a cluster changes labels, and a re-upload of the same files renders nothing', async () => {
    const { run, agents } = await fleet();
    const name = unique('web');
    const archive = await archiveOf(chartBundle());
    await hub.api('PUT', `/api/v1/bundles/${name}`, { directory: { archive }, targets: [{ clusterSelector: { matchLabels: { run } } }] });
    await eventually(() => expect(assignments(agents['eu-prod'])).toHaveLength(1));
    const before = assignments(agents['eu-prod'])[0]!.revision;

    const patch = await hub.api('PATCH', `/api/v1/clusters/${agents['eu-dev'].clusterId}`, { labels: { env: 'prod', region: 'eu', run } });
    expect(patch.status).toBe(200);
    // eu-dev is now an eu prod cluster: the same customisation, so the same revision as eu-prod.
    await eventually(() => expect(assignments(agents['eu-dev']).map((a) => a.revision)).toEqual([before]));

    const digest = (await hub.api('GET', `/api/v1/bundles/${name}`)).body.source.digest;
    const count = async () => (await query<any>(hub.database.url, `SELECT count(*)::int AS n FROM bundle_renders WHERE source_id = $1`, [digest]))[0].n;
    const rendersBefore = await count();
    expect((await hub.api('PUT', `/api/v1/bundles/${name}`, { directory: { archive }, targets: [{ clusterSelector: { matchLabels: { run } } }] })).status).toBe(200);
    await eventually(async () => expect((await hub.api('GET', `/api/v1/bundles/${name}`)).body.render.state).toBe('Rendered'));
    expect(await count()).toBe(rendersBefore);
    expect(assignments(agents['eu-prod'])[0]!.revision).toBe(before);
  });

  it('a render error marks the bundle failed and leaves every cluster on its last good revision', async () => {
    const { run, agents } = await fleet();
    const name = unique('web');
    const targets = [{ clusterSelector: { matchLabels: { run } } }];
    await hub.api('PUT', `/api/v1/bundles/${name}`, { directory: { archive: await archiveOf(chartBundle()) }, targets });
    await eventually(() => expect(assignments(agents['us-prod'])).toHaveLength(1));
    const good = assignments(agents['us-prod'])[0]!.revision;

    const broken = chartBundle('replicas: {{ .Values.replicas | nosuchfunction }}');
    expect((await hub.api('PUT', `/api/v1/bundles/${name}`, { directory: { archive: await archiveOf(broken) }, targets })).status).toBe(200);
    await eventually(async () => {
      const bundle = (await hub.api('GET', `/api/v1/bundles/${name}`)).body;
      expect(bundle.render).toMatchObject({ state: 'Failed', reason: 'HelmFailed' });
      expect(bundle.render.message).toMatch(/templates\/deployment\.yaml/);
      expect(bundle.render.message).toMatch(/nosuchfunction/);
    });
    const rows = await query<any>(hub.database.url, `SELECT d.desired_revision FROM deployments d JOIN bundles b ON b.id = d.bundle_id WHERE b.name = $1`, [name]);
    expect(rows.map((r: any) => r.desired_revision)).toContain(good);
    expect(assignments(agents['us-prod'])[0]!.revision).toBe(good);
  });

  it('refuses a malformed fleet.yaml with file, line and field, and writes nothing', async () => {
    const name = unique('bad');
    const files = { ...chartBundle(), 'fleet.yaml': 'defaultNamespace: shop\nhelm:\n  values: 3\n' };
    const res = await hub.api('PUT', `/api/v1/bundles/${name}`, { directory: { archive: await archiveOf(files) }, targets: [{ clusterName: 'x' }] });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'InvalidBundleSource', field: 'directory.archive' });
    expect(res.body.message).toMatch(/fleet\.yaml:3/);
    expect(res.body.message).toMatch(/helm\.values/);
    expect((await hub.api('GET', `/api/v1/bundles/${name}`)).status).toBe(404);
  });

  it('refuses an archive that is not a gzipped tar, or that leaves the bundle directory', async () => {
    const name = unique('bad');
    const notTar = await hub.api('PUT', `/api/v1/bundles/${name}`, { directory: { archive: Buffer.from('hello').toString('base64') }, targets: [] });
    expect(notTar.status).toBe(400);
    expect(notTar.body).toMatchObject({ error: 'InvalidBundleArchive', field: 'directory.archive' });
    const both = await hub.api('PUT', `/api/v1/bundles/${name}`, { directory: { archive: 'aGVsbG8=' }, resources: [], targets: [] });
    expect(both.status).toBe(400);
    expect(both.body.message).toMatch(/exactly one of manifests, resources or directory/);
  });
});
