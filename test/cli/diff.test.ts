import { randomUUID } from 'node:crypto';
import { DeploymentState } from '@flotilla/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { register, reportStatus } from '../support/agent-client.ts';
import { eventually } from '../support/eventually.ts';
import { startHub, type TestHub } from '../support/hub.ts';
import { flotilla, flotillaProcess } from './cli-support.ts';

/**
 * `flotilla diff` on a real hub: the deployment is found by bundle and
 * cluster name; the drift shown is what the cluster's agent reported
 * (reported here over gRPC with the cluster's credential, as the agent
 * does; detecting drift on a real cluster is test/agent/drift.test.ts's).
 */
let hub: TestHub;
let env: NodeJS.ProcessEnv;
let credential: string;
let deploymentId: string;
let revision: string;
beforeAll(async () => {
  hub = await startHub();
  env = { HOME: '/nonexistent', FLOTILLA_HUB_URL: hub.httpUrl, FLOTILLA_TOKEN: hub.adminToken };
  const token = (await hub.api('POST', '/api/v1/registration-tokens', {})).body.token;
  const reg = await register(hub, { token, identity: randomUUID(), name: 'eu-prod', labels: { env: 'prod' } });
  await register(hub, { token, identity: randomUUID(), name: 'eu-prod-2', labels: { env: 'prod' } });
  await register(hub, { token, identity: randomUUID(), name: 'dev', labels: { env: 'dev' } });
  credential = reg.credential;
  const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'greeting', namespace: 'web' }, data: { text: 'hello' } };
  const put = await hub.api('PUT', '/api/v1/bundles/web', { resources: [configMap], targets: [{ clusterSelector: { matchLabels: { env: 'prod' } } }] });
  expect(put.status).toBe(201);
  revision = put.body.revision;
  await eventually(async () => {
    const page = await hub.api('GET', `/api/v1/clusters/${reg.clusterId}/deployments`);
    expect(page.body.items).toHaveLength(1);
    deploymentId = page.body.items[0].deploymentId;
  });
});
afterAll(async () => {
  await hub?.dispose();
});

const resource = { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'web', name: 'greeting', message: '' };
const report = (state: number, diffs: Array<{ path: string; desired: string; live: string }>) =>
  reportStatus(hub, credential, [{ deploymentId, appliedRevision: revision, state, reason: '', message: '', resources: [{ ...resource, state, diffs }] }]);

describe('flotilla diff', () => {
  it('exits 0 before the agent reports, saying no drift is known', async () => {
    const r = await flotilla(['diff', 'web', '--cluster', 'eu-prod'], env);
    expect(r).toEqual({ code: 0, stdout: `bundle web on cluster eu-prod: WaitApplied (revision ${revision}, applied none)\nthe agent has not reported this deployment yet: no drift known\n`, stderr: '' });
  });

  it('prints the reported drift per field and exits 3; after the agent puts it back, 0', async () => {
    await report(DeploymentState.DEPLOYMENT_STATE_MODIFIED, [{ path: '/data/text', desired: '"hello"', live: '"hacked"' }]);
    const drift = flotillaProcess(['diff', 'web', '--cluster', 'eu-prod'], env);
    expect(drift).toEqual({
      code: 3,
      stdout: `bundle web on cluster eu-prod: Modified (revision ${revision})\nConfigMap web/greeting (Modified)\n  /data/text: "hello" → "hacked"\n`,
      stderr: '',
    });
    const json = await flotilla(['diff', 'web', '-c', 'eu-prod', '-o', 'json'], env);
    expect(json.code).toBe(3);
    expect(JSON.parse(json.stdout)).toMatchObject({ deploymentId, bundleName: 'web', clusterName: 'eu-prod', resources: [{ name: 'greeting', diffs: [{ path: '/data/text' }] }] });

    await report(DeploymentState.DEPLOYMENT_STATE_READY, []);
    expect(await flotilla(['diff', 'web', '--cluster', 'eu-prod'], env)).toEqual({ code: 0, stdout: `bundle web on cluster eu-prod: Ready (revision ${revision})\nno drift: 1 object(s) as desired\n`, stderr: '' });
  });

  it('exits 1 naming an unknown cluster, an unknown bundle, or a bundle not deployed there', async () => {
    // eu-prod-2 exists: "eu" and "eu-prod-" are only prefixes of names, not names.
    expect(await flotilla(['diff', 'web', '--cluster', 'eu'], env)).toEqual({ code: 1, stdout: '', stderr: 'flotilla diff: cluster "eu" not found (see `flotilla clusters`) [ClusterNotFound]\n' });
    expect(await flotilla(['diff', 'shop', '--cluster', 'eu-prod'], env)).toEqual({ code: 1, stdout: '', stderr: 'flotilla diff: bundle "shop" not found [BundleNotFound]\n' });
    expect(await flotilla(['diff', 'web', '--cluster', 'dev'], env)).toEqual({ code: 1, stdout: '', stderr: 'flotilla diff: bundle "web" is not deployed to cluster "dev" (its targets do not select it) [NotDeployed]\n' });
  });

  it('refuses a bad command line with exit 2', async () => {
    expect(await flotilla(['diff', 'web'], env)).toMatchObject({ code: 2, stderr: expect.stringContaining('--cluster NAME is required') });
    expect(await flotilla(['diff', '--cluster', 'eu-prod'], env)).toMatchObject({ code: 2, stderr: expect.stringContaining('expected one BUNDLE') });
    expect(await flotilla(['diff', 'web', '--cluster', 'eu-prod', '-o', 'patch'], env)).toMatchObject({ code: 2, stderr: expect.stringContaining('--output must be') });
  });
});
