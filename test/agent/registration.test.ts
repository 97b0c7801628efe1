/**
 * First start of a real agent process whose credential Secret cannot be
 * written yet (its namespace does not exist): it must not spend the
 * registration token until it can keep the credential it would get.
 */
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
let agent: AgentProcess | undefined;

beforeAll(async () => {
  agentBuilt();
  [hub, cluster] = await Promise.all([startHub(), startCluster()]);
  kube = await kubeFor(cluster);
}, 120_000);

afterAll(async () => {
  await agent?.stop();
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
    await eventually(async () => expect(await read(kube, `/api/v1/namespaces/${namespace}/secrets/${CREDENTIAL_SECRET}`)).toBeDefined(), { timeoutMs: 30_000 });
    expect(await tokenUses()).toBe(1);
    await eventually(async () => expect(await probe('/readyz')).toEqual({ status: 200, text: 'ready\n' }), { timeoutMs: 30_000 });
    // The dry-run that proved the Secret writable stored nothing of its own: the stored credential is the hub's.
    const secret = await read(kube, `/api/v1/namespaces/${namespace}/secrets/${CREDENTIAL_SECRET}`);
    expect(Buffer.from(secret.data.credential, 'base64').toString()).toMatch(/^flt_cl_/);
  }, 120_000);
});
