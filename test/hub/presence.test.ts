import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubClient } from '../../agent/src/connection/hub.client.ts';
import { WatchLoop } from '../../agent/src/connection/watch.loop.ts';
import { createLogger } from '../../agent/src/log/logger.ts';
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

  it("keeps a streaming agent online without Heartbeat calls (the agent's own watch loop)", async () => {
    const token = (await hub.api('POST', '/api/v1/registration-tokens', {})).body.token;
    const reg = await register(hub, { token, identity: `presence-${Math.random()}` });
    const client = new HubClient(hub.grpcAddress, { mode: 'ca', caPem: hub.tls!.caPem, caFile: hub.tls!.caFile });
    const sessions: number[] = [];
    const loop = new WatchLoop({
      hub: client,
      credential: async () => reg.credential,
      knownGeneration: () => '',
      handlers: { onConnected: (s) => sessions.push(s.heartbeatIntervalSeconds), onDesiredState: async () => {}, onDisconnected: () => {} },
      logger: createLogger('error'),
      reconnectMaxMs: 1_000,
      rejectedRetryMs: 1_000,
    });
    const heartbeatCalls = async () => {
      const text: string = (await hub.api('GET', '/metrics', undefined, null)).body;
      const line = text.split('\n').find((l) => l.startsWith('flotilla_agent_calls_total{method="Heartbeat",result="ok"}'));
      return line ? Number(line.split(' ').pop()) : 0;
    };
    const before = await heartbeatCalls();
    loop.start();
    try {
      await eventually(async () => expect(await connection(reg.clusterId)).toBe('online'));
      expect(sessions).toEqual([0]);
      // Three times the hub's offline timeout (3 s) with a 1 s heartbeat interval configured: still online,
      // last seen still moving, and not one Heartbeat call.
      // Samples are collected (not asserted) inside eventually(), which would retry a failed assertion.
      const deadline = Date.now() + 9_000;
      const samples: { connection: string; lastSeenAt: string }[] = [];
      await eventually(
        async () => {
          const cluster = (await hub.api('GET', `/api/v1/clusters/${reg.clusterId}`)).body;
          samples.push({ connection: cluster.connection, lastSeenAt: cluster.lastSeenAt });
          return Date.now() >= deadline;
        },
        { timeoutMs: 20_000, intervalMs: 1_000, description: 'observing the cluster for 9 s' },
      );
      expect(samples.filter((s) => s.connection !== 'online')).toEqual([]);
      expect(new Set(samples.map((s) => s.lastSeenAt)).size).toBeGreaterThanOrEqual(3);
      expect(await heartbeatCalls()).toBe(before);
    } finally {
      await loop.stop();
    }
  });
});
