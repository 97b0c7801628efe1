/**
 * FLOTILLA_ROLE (issue #10): render workers run apart from the processes that
 * serve the API and hold agent streams, as Argo CD keeps its repo-server
 * apart. An api,gateway hub renders nothing itself; a render-only hub on the
 * same PostgreSQL and Redis takes the job, and the cluster on the other
 * process gets its render.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchContent, latestDesired, register, watch, type OpenWatch } from '../support/agent-client.ts';
import { archiveOf } from '../support/bundle-archive.ts';
import { eventually } from '../support/eventually.ts';
import { startHub, type TestHub } from '../support/hub.ts';
import { toolPath } from '../clusters/index.ts';

let front: TestHub;
let renderer: TestHub | undefined;
let stream: OpenWatch | undefined;

beforeAll(async () => {
  front = await startHub({ env: { FLOTILLA_ROLE: 'api,gateway' } });
}, 120_000);
afterAll(async () => {
  stream?.cancel();
  await renderer?.stop();
  await front?.dispose();
});

const chart = {
  'fleet.yaml': 'helm:\n  values:\n    env: "${ .ClusterLabels.env }"\n',
  'Chart.yaml': 'apiVersion: v2\nname: roles\nversion: 0.1.0\n',
  'templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n  env: {{ .Values.env | quote }}\n',
};

describe('hub roles', () => {
  it('renders only where the render role runs, and delivers through the gateway of another process', async () => {
    const token = (await front.api('POST', '/api/v1/registration-tokens', {})).body.token as string;
    const reg = await register(front, { token, identity: 'roles-1', labels: { env: 'qa' }, name: 'roles-1' });
    stream = watch(front, reg.credential);
    const put = await front.api('PUT', '/api/v1/bundles/roles', { directory: { archive: await archiveOf(chart) }, targets: [{ clusterName: 'roles-1' }] });
    expect(put.status).toBe(201);
    // No render worker yet: the bundle waits, the cluster gets nothing (and loses nothing).
    await new Promise((r) => setTimeout(r, 3000));
    expect((await front.api('GET', '/api/v1/bundles/roles')).body.render.state).toBe('Rendering');
    expect(latestDesired(stream)?.deployments ?? []).toEqual([]);

    renderer = await startHub({
      database: front.database,
      redisPrefix: front.redisPrefix,
      env: { FLOTILLA_ROLE: 'render', FLOTILLA_HELM: await toolPath('helm'), FLOTILLA_KUSTOMIZE: await toolPath('kustomize') },
    });
    // The render-only process serves probes, not the API.
    expect((await renderer.api('GET', '/api/v1/bundles/roles')).status).toBe(404);
    await eventually(() => expect(latestDesired(stream!)?.deployments ?? []).toHaveLength(1), { timeoutMs: 60_000 });
    const [assignment] = latestDesired(stream)!.deployments;
    const { bytes } = await fetchContent(front, reg.credential, assignment!.revision);
    expect(JSON.parse(bytes.toString('utf8'))).toEqual([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'roles' }, data: { env: 'qa' } }]);
    expect((await front.api('GET', '/api/v1/bundles/roles')).body.render.state).toBe('Rendered');
  });
});
