import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { heartbeat, register, watch } from '../support/agent-client.ts';
import { eventually } from '../support/eventually.ts';
import { startHub, type TestHub } from '../support/hub.ts';

let hub: TestHub;
beforeAll(async () => {
  // Short timings so the transition is observable in seconds.
  hub = await startHub({ env: { FLOTILLA_HEARTBEAT_INTERVAL_SECONDS: '1', FLOTILLA_OFFLINE_AFTER_SECONDS: '3' } });
});
afterAll(async () => {
  await hub?.dispose();
});

const connection = async (id: string) => (await hub.api('GET', `/api/v1/clusters/${id}`)).body.connection;

describe('presence', () => {
  it('marks a cluster online while connected, offline when not heard from, online again on heartbeat', async () => {
    const token = (await hub.api('POST', '/api/v1/registration-tokens', {})).body.token;
    const reg = await register(hub, { token, identity: `presence-${Math.random()}` });
    expect(await connection(reg.clusterId)).toBe('pending');
    const stream = watch(hub, reg.credential);
    await eventually(async () => expect(await connection(reg.clusterId)).toBe('online'));
    // While the stream is open the cluster stays online past the offline timeout.
    const lastSeen1 = (await hub.api('GET', `/api/v1/clusters/${reg.clusterId}`)).body.lastSeenAt;
    await eventually(async () => expect((await hub.api('GET', `/api/v1/clusters/${reg.clusterId}`)).body.lastSeenAt).not.toBe(lastSeen1), { timeoutMs: 10_000 });
    stream.cancel();
    await eventually(async () => expect(await connection(reg.clusterId)).toBe('offline'), { timeoutMs: 20_000 });
    await heartbeat(hub, reg.credential);
    await eventually(async () => expect(await connection(reg.clusterId)).toBe('online'));
  });
});
