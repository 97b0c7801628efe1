import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { OpenWatch } from '../support/agent-client.ts';
import { eventually } from '../support/eventually.ts';
import { startHub, type TestHub } from '../support/hub.ts';
import { givenOf, reportAs, simulatedAgents } from '../support/simulated-agents.ts';
import { openSse, type SseStream } from '../support/sse-client.ts';

/*
 * The live event stream (SSE) on a real hub: every step of a rollout in
 * order, resume after a disconnect without loss or duplicates, events of
 * transactions that commit out of id order, filters and bad input.
 */

let hub: TestHub;
let token: string;
const streams: OpenWatch[] = [];
const sses: SseStream[] = [];

beforeAll(async () => {
  hub = await startHub({ env: { FLOTILLA_ROLLOUT_RECHECK_SECONDS: '2' } });
  token = (await hub.api('POST', '/api/v1/registration-tokens', {})).body.token;
});
afterEach(() => {
  for (const s of streams.splice(0)) s.cancel();
  for (const s of sses.splice(0)) s.close();
});
afterAll(async () => {
  await hub?.dispose();
});

const unique = (name: string) => `${name}-${Math.random().toString(36).slice(2, 8)}`;
const sse = (path: string, headers?: Record<string, string>) => {
  const s = openSse(hub, path, headers);
  sses.push(s);
  return s;
};

async function history(query: string): Promise<{ id: string; kind: string; data: any }[]> {
  const res = await hub.api('GET', `/api/v1/events/history?limit=1000&${query}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.items;
}

describe('event stream', () => {
  it('streams every step of a rollout in order, and resumes after a disconnect without loss or duplicates', async () => {
    const run = unique('e');
    const a = await simulatedAgents(hub, token, run, { c1: { tier: 'canary' }, m1: { tier: 'main' } }, streams);
    const app = unique('app');
    const first = sse(`/api/v1/events?bundle=${app}&kind=rollout.*`);
    expect(await first.status).toBe(200);
    const put = (v: string) =>
      hub.api('PUT', `/api/v1/bundles/${app}`, {
        resources: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { v } }],
        targets: [{ clusterSelector: { matchLabels: { run } } }],
        rolloutStrategy: { partitions: [{ name: 'canary', clusterSelector: { matchLabels: { tier: 'canary', run } }, maxUnavailable: 0 }, { name: 'main', clusterSelector: { matchLabels: { tier: 'main', run } }, maxUnavailable: 0 }] },
      });
    await put('1');
    await eventually(() => expect(givenOf(a.c1!, app)).toBeDefined());
    await eventually(() => expect(first.events.map((e) => e.event)).toContain('rollout.partition'));
    // Disconnect in the middle of the rollout; the rest happens while nobody listens.
    first.close();
    const seen = first.events.length;
    const lastId = first.events[seen - 1]!.id;
    await reportAs(hub, a.c1!, app);
    await eventually(() => expect(givenOf(a.m1!, app)).toBeDefined());
    await reportAs(hub, a.m1!, app);
    await eventually(async () => expect((await history(`bundle=${app}&kind=rollout.completed`)).length).toBe(1), { timeoutMs: 20_000 });

    const resumed = sse(`/api/v1/events?bundle=${app}&kind=rollout.*`, { 'last-event-id': lastId });
    const all = await history(`bundle=${app}&kind=rollout.*`);
    await eventually(() => expect(resumed.events.length).toBe(all.length - seen));
    const got = [...first.events.slice(0, seen), ...resumed.events];
    expect(got.map((e) => e.id)).toEqual(all.map((e) => e.id));
    expect(new Set(got.map((e) => e.id)).size).toBe(got.length);
    expect(got.map((e) => (e.event === 'rollout.partition' ? `${e.data.data.partition}:${e.data.data.to}` : e.event))).toEqual([
      'rollout.started',
      'canary:Rolling',
      'canary:Done',
      'main:Rolling',
      'main:Done',
      'rollout.completed',
    ]);
    expect(got.every((e, i) => i === 0 || BigInt(e.id) > BigInt(got[i - 1]!.id))).toBe(true);
  });

  it('never skips an event whose transaction commits after a later one', async () => {
    const live = sse('/api/v1/events?bundle=commit-order');
    expect(await live.status).toBe(200);
    const slow = new pg.Client({ connectionString: hub.database.url });
    const fast = new pg.Client({ connectionString: hub.database.url });
    await Promise.all([slow.connect(), fast.connect()]);
    try {
      const insert = (c: pg.Client, message: string) => c.query(`INSERT INTO fleet_events (kind, bundle, message) VALUES ('rollout.started', 'commit-order', $1)`, [message]);
      await slow.query('BEGIN');
      await insert(slow, 'first id, committed last');
      await fast.query('BEGIN');
      await insert(fast, 'second id, committed first');
      await fast.query('COMMIT');
      await eventually(() => expect(live.events.map((e) => e.data.message)).toEqual(['second id, committed first']));
      await new Promise((r) => setTimeout(r, 600));
      await slow.query('COMMIT');
      await eventually(() => expect(live.events.map((e) => e.data.message)).toEqual(['second id, committed first', 'first id, committed last']));
    } finally {
      await Promise.all([slow.end(), fast.end()]);
    }
  });

  it('records deployment state changes, ErrApplied and drift as events, and cluster presence', async () => {
    const run = unique('d');
    const a = await simulatedAgents(hub, token, run, { x: {} }, streams);
    const app = unique('app');
    await hub.api('PUT', `/api/v1/bundles/${app}`, { resources: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: {} }], targets: [{ clusterSelector: { matchLabels: { run } } }] });
    await eventually(() => expect(givenOf(a.x!, app)).toBeDefined());
    await reportAs(hub, a.x!, app, 7);
    await reportAs(hub, a.x!, app, 7); // unchanged: no event
    await reportAs(hub, a.x!, app, 5);
    const events = await eventually(async () => {
      const e = await history(`bundle=${app}&kind=deployment.*,drift.detected`);
      expect(e.map((x) => x.kind)).toEqual(['deployment.state', 'deployment.errApplied', 'deployment.state', 'drift.detected']);
      return e;
    });
    expect(events[0]).toMatchObject({ cluster: a.x!.name, data: { from: 'WaitApplied', to: 'ErrApplied', reason: 'ApplyFailed' } });
    expect(events[2]).toMatchObject({ data: { from: 'ErrApplied', to: 'Modified' } });
  });

  it('refuses bad filters and cursors with a precise message', async () => {
    expect((await hub.api('GET', '/api/v1/events?kind=rollout.exploded')).body).toMatchObject({ error: 'ValidationFailed', field: 'query.kind', message: expect.stringContaining('not an event kind') });
    expect((await hub.api('GET', '/api/v1/events?after=yesterday')).body).toMatchObject({ error: 'ValidationFailed', field: 'query.after' });
    const bad = await fetch(`${hub.httpUrl}/api/v1/events`, { headers: { authorization: `Bearer ${hub.adminToken}`, 'last-event-id': 'abc' } });
    expect([bad.status, ((await bad.json()) as { field: string }).field]).toEqual([400, 'header.Last-Event-ID']);
    expect((await hub.api('GET', '/api/v1/events/history?severity=fatal')).status).toBe(400);
    expect((await fetch(`${hub.httpUrl}/api/v1/events`)).status).toBe(401);
  });
});
