/**
 * Issue #9: Secret values never leave the cluster. A real hub and the built
 * agent on an api-only cluster: a bundle's Secret (data and stringData) is
 * edited by hand, then deleted; the drift reports say which keys differ and
 * that the Secret is missing, but neither the desired nor the live values
 * (in clear or base64) appear in any status endpoint a read-only token can
 * read, in the hub's or the agent's logs, or in the deployments table.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeClient } from '../../agent/src/kube/kube-client.ts';
import { startCluster, type Cluster } from '../clusters/index.ts';
import { query } from '../support/database.ts';
import { eventually } from '../support/eventually.ts';
import { startHub, type TestHub } from '../support/hub.ts';
import { agentBuilt, agentProcess, type AgentProcess } from './agent-process.ts';
import { createNamespace, kubeFor, rand } from './agent-support.ts';

const WAIT = { timeoutMs: 90_000, intervalMs: 500 };
const AGENT_NS = 'flotilla-system';

const DESIRED_PASSWORD = `desired-pw-${rand()}`;
const DESIRED_TOKEN = `desired-token-${rand()}`;
const LIVE_PASSWORD = `live-pw-${rand()}`;
const LIVE_TOKEN = `live-token-${rand()}`;
const SECRET_VALUES = [DESIRED_PASSWORD, DESIRED_TOKEN, LIVE_PASSWORD, LIVE_TOKEN];
const b64 = (s: string) => Buffer.from(s).toString('base64');

let hub: TestHub;
let cluster: Cluster;
let kube: KubeClient;
let agent: AgentProcess;
let readonlyToken: string;
let clusterId: string;
const bundle = `secret-${rand()}`;
const namespace = `vault-${rand()}`;
const secretPath = `/api/v1/namespaces/${namespace}/secrets/db`;

beforeAll(async () => {
  agentBuilt();
  [hub, cluster] = await Promise.all([startHub(), startCluster()]);
  kube = await kubeFor(cluster);
  await createNamespace(kube, AGENT_NS);
  readonlyToken = (await hub.api('POST', '/api/v1/api-tokens', { name: 'viewer', role: 'readonly' })).body.token;
  const token = (await hub.api('POST', '/api/v1/registration-tokens', { labels: { role: 'vault' } })).body.token;
  agent = agentProcess({ hubAddress: hub.grpcAddress, caFile: hub.tls!.caFile, token, kubeconfigPath: cluster.kubeconfigPath, clusterName: cluster.name, namespace: AGENT_NS });
  agent.start();
  clusterId = await eventually(async () => {
    const [c] = (await hub.api('GET', '/api/v1/clusters')).body.items;
    expect(c?.connection).toBe('online');
    return c.id as string;
  }, WAIT);
}, 600_000);

afterAll(async () => {
  await agent?.stop();
  kube?.close();
  await cluster?.stop();
  await hub?.dispose();
});

/** Every status body a read-only token can read about the bundle's deployment. */
async function statusBodies(): Promise<{ deployment: any; all: string }> {
  const get = async (path: string) => {
    const res = await hub.api('GET', path, undefined, readonlyToken);
    expect(res.status, path).toBe(200);
    return res.body;
  };
  const bundleStatus = await get(`/api/v1/bundles/${bundle}/status`);
  const deployments = await get(`/api/v1/clusters/${clusterId}/deployments`);
  const deployment = await get(`/api/v1/deployments/${bundleStatus.items[0].deploymentId}`);
  return { deployment, all: JSON.stringify([bundleStatus, deployments, deployment]) };
}

function expectNoSecretValues(text: string, where: string): void {
  for (const value of SECRET_VALUES) {
    expect(text, `${where} contains ${value}`).not.toContain(value);
    expect(text, `${where} contains base64 of ${value}`).not.toContain(b64(value));
  }
}

async function expectNothingLeaked(): Promise<void> {
  expectNoSecretValues((await statusBodies()).all, 'status API');
  expectNoSecretValues(hub.logs(), "the hub's log");
  expectNoSecretValues(agent.logs(), "the agent's log");
  const rows = await query<{ row: string }>(hub.database.url, 'SELECT d::text AS row FROM deployments d');
  expect(rows.length).toBeGreaterThan(0);
  expectNoSecretValues(rows.map((r) => r.row).join('\n'), 'the deployments table');
}

const secretStatus = (deployment: any) => deployment.resources.find((r: { kind: string }) => r.kind === 'Secret');
const MARKER = /^"<redacted:[0-9a-f]{8}>"$/;

describe('Secret values in drift reports', () => {
  it('reports a hand-edited Secret by key, and a deleted one as missing, without any value', async () => {
    const put = await hub.api('PUT', `/api/v1/bundles/${bundle}`, {
      resources: [
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } },
        { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace }, data: { password: b64(DESIRED_PASSWORD) }, stringData: { token: DESIRED_TOKEN } },
      ],
      targets: [{ clusterSelector: { matchLabels: { role: 'vault' } } }],
    });
    expect(put.status, JSON.stringify(put.body)).toBe(201);
    await eventually(async () => expect((await statusBodies()).deployment).toMatchObject({ state: 'Ready', appliedRevision: put.body.revision }), WAIT);

    // Edited by hand, as `kubectl edit` would (another field manager), through data and stringData.
    await kube.request('PATCH', secretPath, {
      query: { fieldManager: 'kubectl-edit' },
      body: { data: { password: b64(LIVE_PASSWORD) }, stringData: { token: LIVE_TOKEN } },
      contentType: 'application/merge-patch+json',
    });
    await eventually(async () => {
      const secret = secretStatus((await statusBodies()).deployment);
      expect(secret).toMatchObject({ state: 'Modified', namespace, name: 'db', message: 'changed in the cluster: /data/password, /data/token' });
      expect(secret.diffs.map((d: { path: string }) => d.path)).toEqual(['/data/password', '/data/token']);
      for (const d of secret.diffs) {
        expect(d.desired).toMatch(MARKER);
        expect(d.live).toMatch(MARKER);
      }
    }, WAIT);
    await expectNothingLeaked();

    await kube.request('DELETE', secretPath);
    await eventually(async () => {
      const secret = secretStatus((await statusBodies()).deployment);
      expect(secret).toMatchObject({ state: 'Modified', kind: 'Secret', namespace, name: 'db', message: 'deleted from the cluster' });
      expect(secret.diffs).toEqual([{ path: '', desired: expect.stringMatching(MARKER), live: '' }]);
    }, WAIT);
    await expectNothingLeaked();
  }, 300_000);
});
