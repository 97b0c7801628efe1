import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { OpenWatch } from '../support/agent-client.ts';
import { query } from '../support/database.ts';
import { eventually } from '../support/eventually.ts';
import { startHub, type TestHub } from '../support/hub.ts';
import { givenOf, reconnect, reportAs, simulatedAgents, type SimulatedAgent } from '../support/simulated-agents.ts';

/*
 * Rollout progress lives in PostgreSQL: a hub killed between a report and
 * the pass it asked for, or a Redis flushed of the pass's job, resumes the
 * rollout where it was. Three partitions of one cluster each, maxUnavailable
 * 0; the event log shows each partition started and finished exactly once.
 */

let hub: TestHub;
let token: string;
const streams: OpenWatch[] = [];

beforeAll(async () => {
  hub = await startHub({ env: { FLOTILLA_ROLLOUT_RECHECK_SECONDS: '2' } });
  token = (await hub.api('POST', '/api/v1/registration-tokens', {})).body.token;
});
afterEach(() => {
  for (const s of streams.splice(0)) s.cancel();
});
afterAll(async () => {
  await hub?.dispose();
});

type Agent = SimulatedAgent;
const unique = (name: string) => `${name}-${Math.random().toString(36).slice(2, 8)}`;
const given = givenOf;
const report = (agent: Agent, bundle: string) => reportAs(hub, agent, bundle);

async function setup(): Promise<{ run: string; agents: Agent[]; bundle: string; put: (v: string) => Promise<string> }> {
  const run = unique('f');
  const byPart = await simulatedAgents(hub, token, run, { p1: { part: 'p1' }, p2: { part: 'p2' }, p3: { part: 'p3' } }, streams);
  const agents = [byPart.p1!, byPart.p2!, byPart.p3!];
  const bundle = unique('app');
  const rolloutStrategy = { partitions: ['p1', 'p2', 'p3'].map((p) => ({ name: p, clusterSelector: { matchLabels: { part: p, run } }, maxUnavailable: 0 })) };
  const put = async (v: string) => {
    const res = await hub.api('PUT', `/api/v1/bundles/${bundle}`, {
      resources: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { v } }],
      targets: [{ clusterSelector: { matchLabels: { run } } }],
      rolloutStrategy,
    });
    expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
    return res.body.revision as string;
  };
  // v1 everywhere, partition by partition.
  const v1 = await put('1');
  for (const a of agents) {
    await eventually(() => expect(given(a, bundle)?.revision).toBe(v1));
    await report(a, bundle);
  }
  await eventually(async () => expect((await hub.api('GET', `/api/v1/bundles/${bundle}/rollout`)).body.rollout.state).toBe('Completed'));
  return { run, agents, bundle, put };
}

async function partitionSteps(bundle: string, seq: number): Promise<string[]> {
  const rows = await query<{ data: { seq: number; partition: string; to: string } }>(
    hub.database.url,
    `SELECT data FROM fleet_events WHERE bundle = $1 AND kind = 'rollout.partition' ORDER BY id`,
    [bundle],
  );
  return rows.filter((r) => r.data.seq === seq).map((r) => `${r.data.partition}:${r.data.to}`);
}

const ALL_STEPS = ['p1:Rolling', 'p1:Done', 'p2:Rolling', 'p2:Done', 'p3:Rolling', 'p3:Done'];

describe('rollout faults', () => {
  it('a hub killed between a report and its rollout pass resumes the rollout after restart', async () => {
    const { agents, bundle, put } = await setup();
    const [p1, p2, p3] = agents as [Agent, Agent, Agent];
    const v2 = await put('2');
    await eventually(() => expect(given(p1, bundle)?.revision).toBe(v2));
    await report(p1, bundle);
    // Killed right after the report (SIGKILL, no shutdown): its pass may or may not have run; the request is in PostgreSQL.
    await hub.kill();
    await hub.start();
    reconnect(hub, agents, streams);
    await eventually(() => expect(given(p2, bundle)?.revision).toBe(v2), { timeoutMs: 20_000 });
    expect(given(p3, bundle)?.revision).not.toBe(v2);
    await report(p2, bundle);
    await eventually(() => expect(given(p3, bundle)?.revision).toBe(v2));
    await report(p3, bundle);
    await eventually(async () => expect((await hub.api('GET', `/api/v1/bundles/${bundle}/rollout`)).body.rollout).toMatchObject({ seq: 2, state: 'Completed' }));
    expect(await partitionSteps(bundle, 2)).toEqual(ALL_STEPS);
  });

  it('a Redis flushed of the rollout jobs resumes from PostgreSQL within the re-check bound', async () => {
    const { agents, bundle, put } = await setup();
    const [p1, p2, p3] = agents as [Agent, Agent, Agent];
    const redis = new Redis('redis://127.0.0.1:6379', { lazyConnect: true });
    await redis.connect();
    const flush = async () => {
      const keys = await redis.keys(`${hub.redisPrefix}*`);
      if (keys.length) await redis.del(...keys);
      return keys.length;
    };
    try {
      const v2 = await put('2');
      await eventually(() => expect(given(p1, bundle)?.revision).toBe(v2));
      await report(p1, bundle);
      expect(await flush()).toBeGreaterThan(0);
      await eventually(() => expect(given(p2, bundle)?.revision).toBe(v2), { timeoutMs: 15_000 });
      await report(p2, bundle);
      await flush();
      await eventually(() => expect(given(p3, bundle)?.revision).toBe(v2), { timeoutMs: 15_000 });
      await report(p3, bundle);
      await eventually(async () => expect((await hub.api('GET', `/api/v1/bundles/${bundle}/rollout`)).body.rollout).toMatchObject({ seq: 2, state: 'Completed' }));
      expect(await partitionSteps(bundle, 2)).toEqual(ALL_STEPS);
    } finally {
      redis.disconnect();
    }
  });
});
