/**
 * Registration of a real agent process: on first start while its credential
 * Secret cannot be written yet (its namespace does not exist) it must not
 * spend the registration token until it can keep the credential it would get;
 * after the Secret is lost, its cluster's identity re-attaches only with a
 * token bound to the cluster (issue #9).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CREDENTIAL_SECRET } from '../../agent/src/connection/credential.store.ts';
import type { KubeClient } from '../../agent/src/kube/kube-client.ts';
import { startCluster, type Cluster } from '../clusters/index.ts';
import { eventually } from '../support/eventually.ts';
import { startHub, type TestHub } from '../support/hub.ts';
import { freePort } from '../support/ports.ts';
import { agentBuilt, agentProcess, type AgentProcess } from './agent-process.ts';
import { createNamespace, kubeFor, rand, read } from './agent-support.ts';

let hub: TestHub;
let cluster: Cluster;
let kube: KubeClient;
/** The credential the agent stored in its Secret, if any (the Secret alone may hold just the registration nonce). */
const storedCredential = async (path: string): Promise<string | undefined> => {
  const credential = (await read(kube, path))?.data?.credential;
  return credential ? Buffer.from(credential, 'base64').toString() : undefined;
};
let agent: AgentProcess | undefined;
let reattaching: AgentProcess | undefined;
let tokenDir: string | undefined;

beforeAll(async () => {
  agentBuilt();
  [hub, cluster] = await Promise.all([startHub(), startCluster()]);
  kube = await kubeFor(cluster);
}, 120_000);

afterAll(async () => {
  await agent?.stop();
  await reattaching?.stop();
  if (tokenDir) rmSync(tokenDir, { recursive: true, force: true });
  kube?.close();
  await cluster?.stop();
  await hub?.dispose();
});

describe('agent registration', () => {
  it('does not register (nor use the token) while it cannot store the credential, and registers once it can', async () => {
    const created = (await hub.api('POST', '/api/v1/registration-tokens', { maxUses: 1 })).body;
    const tokenUses = async () => {
      const list = (await hub.api('GET', '/api/v1/registration-tokens')).body;
      return (Array.isArray(list) ? list : list.items).find((t: { id: string }) => t.id === created.id).uses as number;
    };
    const namespace = `agent-${rand()}`; // not created yet
    const probePort = await freePort();
    const probe = async (path: string) => {
      const res = await fetch(`http://127.0.0.1:${probePort}${path}`);
      return { status: res.status, text: await res.text() };
    };
    agent = agentProcess({
      hubAddress: hub.grpcAddress,
      caFile: hub.tls!.caFile,
      token: created.token,
      kubeconfigPath: cluster.kubeconfigPath,
      clusterName: `reg-${rand()}`,
      namespace,
      env: { FLOTILLA_RECONNECT_MAX_SECONDS: '1', FLOTILLA_PROBE_PORT: String(probePort) },
    });
    agent.start();

    await eventually(() => expect(agent!.logs()).toContain(`cannot create Secret ${CREDENTIAL_SECRET} in namespace ${namespace}`), { timeoutMs: 30_000 });
    expect(agent.logs()).toContain(`namespaces \\"${namespace}\\" not found`);
    // Alive, but not ready: the kubelet would not restart it, and says why it is not ready.
    expect(await probe('/healthz')).toEqual({ status: 200, text: 'ok\n' });
    expect(await probe('/readyz')).toEqual({ status: 503, text: 'not ready: obtaining the cluster credential (stored Secret or registration; see the log)\n' });
    expect(await tokenUses()).toBe(0);
    const clusters = (await hub.api('GET', '/api/v1/clusters')).body;
    expect(Array.isArray(clusters) ? clusters : clusters.items).toEqual([]);

    await createNamespace(kube, namespace);
    await eventually(async () => expect(await storedCredential(`/api/v1/namespaces/${namespace}/secrets/${CREDENTIAL_SECRET}`)).toBeDefined(), { timeoutMs: 30_000 });
    expect(await tokenUses()).toBe(1);
    await eventually(async () => expect(await probe('/readyz')).toEqual({ status: 200, text: 'ready\n' }), { timeoutMs: 30_000 });
    // The Secret first held only the registration nonce (which proved it writable); now it holds the hub's credential.
    expect(await storedCredential(`/api/v1/namespaces/${namespace}/secrets/${CREDENTIAL_SECRET}`)).toMatch(/^flt_cl_/);
  }, 120_000);

  it('after its credential Secret is lost, is refused with what to do (slowly, not in a loop), and re-attaches with a token bound to its cluster', async () => {
    // Every agent here runs on the same test cluster, so with the same identity: start from an empty hub.
    await agent?.stop();
    for (const c of (await hub.api('GET', '/api/v1/clusters')).body.items) await hub.api('DELETE', `/api/v1/clusters/${c.id}`);
    const namespace = `agent-${rand()}`;
    await createNamespace(kube, namespace);
    tokenDir = mkdtempSync(join(tmpdir(), 'flotilla-token-'));
    const tokenFile = join(tokenDir, 'token');
    const unbound = (await hub.api('POST', '/api/v1/registration-tokens', {})).body;
    writeFileSync(tokenFile, unbound.token);
    const clusterName = `reg-${rand()}`;
    reattaching = agentProcess({
      hubAddress: hub.grpcAddress,
      caFile: hub.tls!.caFile,
      kubeconfigPath: cluster.kubeconfigPath,
      clusterName,
      namespace,
      env: { FLOTILLA_REGISTRATION_TOKEN_FILE: tokenFile, FLOTILLA_REJECTED_RETRY_SECONDS: '2' },
    });
    const secretPath = `/api/v1/namespaces/${namespace}/secrets/${CREDENTIAL_SECRET}`;
    reattaching.start();
    await eventually(async () => expect(await storedCredential(secretPath)).toBeDefined(), { timeoutMs: 30_000 });
    const [registered] = (await hub.api('GET', '/api/v1/clusters')).body.items;
    expect(registered.name).toBe(clusterName);

    await reattaching.stop();
    await kube.request('DELETE', secretPath);
    const mark = reattaching.logs().length;
    const since = () => reattaching!.logs().slice(mark);
    const restartedAt = Date.now();
    reattaching.start();
    const refused = 'the hub refused to register this cluster';
    await eventually(() => expect(since()).toContain(refused), { timeoutMs: 30_000 });
    expect(since()).toContain(`ask the platform team for a registration token issued for cluster ${clusterName}, or to deregister it`);
    expect(since()).toContain('give the agent a registration token issued for this cluster');
    // A new nonce (the old one went with the Secret) proves nothing about the cluster that already connected.
    expect(await storedCredential(secretPath)).toBeUndefined();

    const bound = (await hub.api('POST', '/api/v1/registration-tokens', { clusterId: registered.id })).body;
    writeFileSync(tokenFile, bound.token);
    await eventually(async () => expect(await storedCredential(secretPath)).toBeDefined(), { timeoutMs: 30_000 });
    await eventually(() => expect(since()).toContain('connected to the hub'), { timeoutMs: 30_000 });
    const clusters = (await hub.api('GET', '/api/v1/clusters')).body.items;
    expect(clusters.map((c: { id: string }) => c.id)).toEqual([registered.id]);
    const tokens = (await hub.api('GET', '/api/v1/registration-tokens')).body.items;
    expect(tokens.find((t: { id: string }) => t.id === unbound.id).uses).toBe(1);
    expect(tokens.find((t: { id: string }) => t.id === bound.id).uses).toBe(1);
    // Refused at most once per FLOTILLA_REJECTED_RETRY_SECONDS (2 s), not in a tight loop.
    const refusals = since().split(refused).length - 1;
    expect(refusals).toBeGreaterThanOrEqual(1);
    expect(refusals).toBeLessThanOrEqual(Math.ceil((Date.now() - restartedAt) / 2000) + 1);
  }, 120_000);
});
