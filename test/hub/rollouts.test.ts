import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { OpenWatch } from '../support/agent-client.ts';
import { archiveOf } from '../support/bundle-archive.ts';
import { query } from '../support/database.ts';
import { eventually } from '../support/eventually.ts';
import { startHub, type TestHub } from '../support/hub.ts';
import { ERR_APPLIED, givenOf, READY, reportAs, simulatedAgents, type SimulatedAgent } from '../support/simulated-agents.ts';

/*
 * Rollouts on a real hub (PostgreSQL, Redis) with simulated agents: each test
 * registers its own clusters (a unique `run` label) and plays their agents,
 * reporting Ready or ErrApplied for what they were given.
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
const configMap = (data: Record<string, string>) => [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data }];
const agents = (run: string, tiers: Record<string, string>) =>
  simulatedAgents(hub, token, run, Object.fromEntries(Object.entries(tiers).map(([role, tier]) => [role, { tier }])), streams);
const given = (agent: Agent, bundle: string) => givenOf(agent, bundle)?.revision;
const report = (agent: Agent, bundle: string, state = READY) => reportAs(hub, agent, bundle, state);

async function put(bundle: string, run: string, data: Record<string, string>, extra: Record<string, unknown> = {}) {
  const res = await hub.api('PUT', `/api/v1/bundles/${bundle}`, { resources: configMap(data), targets: [{ clusterSelector: { matchLabels: { run } } }], ...extra });
  expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
  return res.body.revision as string;
}

const twoPartitions = (run: string) => ({
  rolloutStrategy: {
    partitions: [
      { name: 'canary', clusterSelector: { matchLabels: { tier: 'canary', run } }, maxUnavailable: 0 },
      { name: 'main', clusterSelector: { matchLabels: { tier: 'main', run } }, maxUnavailable: 0 },
    ],
  },
});

async function rollout(bundle: string) {
  return (await hub.api('GET', `/api/v1/bundles/${bundle}/rollout`)).body;
}

async function events(bundle: string): Promise<{ kind: string; data: Record<string, unknown> }[]> {
  return query(hub.database.url, `SELECT kind, data FROM fleet_events WHERE bundle = $1 ORDER BY id`, [bundle]);
}

describe('rollouts', () => {
  it('rolls partition by partition, halts on a failure, continues on promote, and rolls back by API', async () => {
    const run = unique('r');
    const a = await agents(run, { c1: 'canary', m1: 'main', m2: 'main' });
    const web = unique('web');

    // First delivery: partition "canary" first, "main" once the canary is Ready.
    const v1 = await put(web, run, { v: '1' }, twoPartitions(run));
    await eventually(() => expect(given(a.c1!, web)).toBe(v1));
    expect(given(a.m1!, web)).toBeUndefined();
    expect((await rollout(web)).rollout).toMatchObject({ seq: 1, state: 'Waiting', cause: 'created' });
    await report(a.c1!, web);
    await eventually(() => expect([given(a.m1!, web), given(a.m2!, web)]).toEqual([v1, v1]));
    await report(a.m1!, web);
    await report(a.m2!, web);
    await eventually(async () => expect((await rollout(web)).rollout.state).toBe('Completed'));

    // v2: the main partition stays on v1 until the canary is Ready on v2.
    const v2 = await put(web, run, { v: '2' }, twoPartitions(run));
    await eventually(() => expect(given(a.c1!, web)).toBe(v2));
    const waiting = await hub.api('GET', `/api/v1/bundles/${web}/status`);
    expect(waiting.status).toBe(200);
    expect([given(a.m1!, web), given(a.m2!, web)]).toEqual([v1, v1]);
    await report(a.c1!, web);
    await eventually(() => expect([given(a.m1!, web), given(a.m2!, web)]).toEqual([v2, v2]));
    await report(a.m1!, web);
    await report(a.m2!, web);
    await eventually(async () => expect((await rollout(web)).rollout).toMatchObject({ seq: 2, state: 'Completed' }));

    // v3 fails on the canary: halted, named, main stays on v2.
    const v3 = await put(web, run, { v: '3' }, twoPartitions(run));
    await eventually(() => expect(given(a.c1!, web)).toBe(v3));
    await report(a.c1!, web, ERR_APPLIED);
    const halted = await eventually(async () => {
      const r = await rollout(web);
      expect(r.rollout.state).toBe('Halted');
      return r;
    });
    expect(halted.rollout.message).toContain(a.c1!.name);
    expect(halted.rollout.partitions[0]).toMatchObject({ name: 'canary', state: 'Halted', failed: [{ cluster: a.c1!.name, state: 'ErrApplied' }] });
    await new Promise((r) => setTimeout(r, 1000));
    expect([given(a.m1!, web), given(a.m2!, web)]).toEqual([v2, v2]);

    // Promote past the halt: main gets v3.
    const promoted = await hub.api('POST', `/api/v1/bundles/${web}/rollout/promote`, {});
    expect(promoted.status, JSON.stringify(promoted.body)).toBe(200);
    expect(promoted.body.rollout.promoted).toEqual(['canary']);
    await eventually(() => expect([given(a.m1!, web), given(a.m2!, web)]).toEqual([v3, v3]));
    await report(a.m1!, web);
    await report(a.m2!, web);

    // Roll back to #2: every cluster returns to v2 (canary first), pinned until new content.
    const back = await hub.api('POST', `/api/v1/bundles/${web}/rollout/rollback`, { to: 2 });
    expect(back.status, JSON.stringify(back.body)).toBe(200);
    expect(back.body).toMatchObject({ pinned: { seq: 2, until: 'newContent' }, rollout: { seq: 4, cause: 'rollback to #2', revision: v2 } });
    await eventually(() => expect(given(a.c1!, web)).toBe(v2));
    await report(a.c1!, web);
    await eventually(() => expect([given(a.m1!, web), given(a.m2!, web)]).toEqual([v2, v2]));

    // The same content again keeps the pin; new content ends it.
    await put(web, run, { v: '3' }, twoPartitions(run));
    expect((await rollout(web)).pinned).toMatchObject({ seq: 2 });
    const v4 = await put(web, run, { v: '4' }, twoPartitions(run));
    await eventually(() => expect(given(a.c1!, web)).toBe(v4));
    const after = await rollout(web);
    expect(after).toMatchObject({ pinned: null, rollout: { seq: 5, cause: 'newContent', revision: v4 } });

    const history = (await hub.api('GET', `/api/v1/bundles/${web}/rollouts?limit=2`)).body;
    expect(history.items.map((r: { seq: number }) => r.seq)).toEqual([5, 4]);
    const older = (await hub.api('GET', `/api/v1/bundles/${web}/rollouts?cursor=${encodeURIComponent(history.nextCursor)}`)).body;
    expect(older.items.map((r: { seq: number; state: string }) => [r.seq, r.state])).toEqual([[3, 'Superseded'], [2, 'Completed'], [1, 'Completed']]);

    // The event log: each partition of #2 started and finished once, in order; #3 halted.
    const log = await events(web);
    const steps = (seq: number) => log.filter((e) => e.kind === 'rollout.partition' && e.data.seq === seq).map((e) => `${e.data.partition}:${e.data.to}`);
    expect(steps(2)).toEqual(['canary:Rolling', 'canary:Done', 'main:Rolling', 'main:Done']);
    expect(log.filter((e) => e.kind === 'rollout.halted').map((e) => e.data.seq)).toEqual([3]);
    expect(log.filter((e) => e.kind === 'rollout.started').map((e) => e.data.seq)).toEqual([1, 2, 3, 4, 5]);
  });

  it('holds a partition that requires approval until a promote, and deploys nothing new while paused', async () => {
    const run = unique('g');
    const a = await agents(run, { s1: 'staging', p1: 'prod' });
    const app = unique('app');
    const strategy = {
      rolloutStrategy: {
        partitions: [
          { name: 'staging', clusterSelector: { matchLabels: { tier: 'staging', run } } },
          { name: 'prod', clusterSelector: { matchLabels: { tier: 'prod', run } }, requireApproval: true },
        ],
      },
    };
    const v1 = await put(app, run, { v: '1' }, strategy);
    await eventually(() => expect(given(a.s1!, app)).toBe(v1));
    await report(a.s1!, app);
    await eventually(async () => expect((await rollout(app)).rollout).toMatchObject({ state: 'AwaitingApproval', message: expect.stringContaining('"prod"') }));
    expect(given(a.p1!, app)).toBeUndefined();
    const unknown = await hub.api('POST', `/api/v1/bundles/${app}/rollout/promote`, { partition: 'qa' });
    expect(unknown).toMatchObject({ status: 404, body: { error: 'PartitionNotFound', message: expect.stringContaining('"staging", "prod"') } });
    expect((await hub.api('POST', `/api/v1/bundles/${app}/rollout/promote`, { partition: 'prod' })).status).toBe(200);
    await eventually(() => expect(given(a.p1!, app)).toBe(v1));
    await report(a.p1!, app);
    await eventually(async () => expect((await rollout(app)).rollout.state).toBe('Completed'));
    const nothing = await hub.api('POST', `/api/v1/bundles/${app}/rollout/promote`, {});
    expect(nothing).toMatchObject({ status: 409, body: { error: 'NothingToPromote' } });

    // Paused: a new revision is staged, not deployed; resume deploys it.
    const paused = await hub.api('POST', `/api/v1/bundles/${app}/rollout/pause`);
    expect(paused.body).toMatchObject({ paused: true, pausedBy: ['api'] });
    const v2 = await put(app, run, { v: '2' }, strategy);
    await eventually(async () => expect((await rollout(app)).rollout).toMatchObject({ seq: 2, state: 'Paused' }));
    await new Promise((r) => setTimeout(r, 500));
    expect(given(a.s1!, app)).toBe(v1);
    const status = (await hub.api('GET', `/api/v1/bundles/${app}/status`)).body;
    expect(status.items.map((d: { desiredRevision: string }) => d.desiredRevision)).toEqual([v1, v1]);
    expect((await hub.api('POST', `/api/v1/bundles/${app}/rollout/resume`)).body).toMatchObject({ paused: false, pausedBy: [] });
    await eventually(() => expect(given(a.s1!, app)).toBe(v2));
  });

  it('delivers a bundle to a cluster only once the bundle it depends on is Ready there; a cycle halts both', async () => {
    const run = unique('d');
    const a = await agents(run, { x: 'any', y: 'any' });
    const db = unique('db');
    const api = unique('api');
    const vdb = await put(db, run, { v: 'db' }, { labels: { role: 'database' } });
    const vapi = await put(api, run, { v: 'api' }, { dependsOn: [{ selector: { matchLabels: { role: 'database' } } }] });
    await eventually(() => expect([given(a.x!, db), given(a.y!, db)]).toEqual([vdb, vdb]));
    await new Promise((r) => setTimeout(r, 500));
    expect([given(a.x!, api), given(a.y!, api)]).toEqual([undefined, undefined]);
    expect((await rollout(api)).rollout.message).toContain('wait for dependencies');
    await report(a.x!, db);
    await eventually(() => expect(given(a.x!, api)).toBe(vapi));
    expect(given(a.y!, api)).toBeUndefined();
    await report(a.y!, db);
    await eventually(() => expect(given(a.y!, api)).toBe(vapi));

    // A cycle: db now depends on api (which depends on db).
    const c1 = unique('c1');
    const c2 = unique('c2');
    await put(c1, run, { v: 'c1' }, { dependsOn: [{ name: c2 }] });
    await put(c2, run, { v: 'c2' }, { dependsOn: [{ name: c1 }] });
    await eventually(async () => expect((await rollout(c2)).rollout).toMatchObject({ state: 'Halted', message: `dependsOn cycle: ${c2} → ${c1} → ${c2}` }));
    expect(given(a.x!, c1)).toBeUndefined();
  });

  it('refuses bad rollout input with a precise message and changes nothing', async () => {
    const run = unique('b');
    const bundle = unique('bad');
    const badStrategy = await hub.api('PUT', `/api/v1/bundles/${bundle}`, {
      resources: configMap({ v: '1' }),
      targets: [{ clusterSelector: { matchLabels: { run } } }],
      rolloutStrategy: { partitions: [{ name: 'a', maxUnavailable: 'lots' }] },
    });
    expect(badStrategy.status).toBe(400);
    expect(badStrategy.body).toMatchObject({ error: 'ValidationFailed', field: 'body.rolloutStrategy.partitions.0.maxUnavailable', message: expect.stringContaining('percentage') });
    expect((await hub.api('GET', `/api/v1/bundles/${bundle}`)).status).toBe(404);
    const dup = await hub.api('PUT', `/api/v1/bundles/${bundle}`, {
      resources: configMap({ v: '1' }),
      targets: [],
      rolloutStrategy: { partitions: [{ name: 'a' }, { name: 'a' }] },
    });
    expect([dup.status, JSON.stringify(dup.body)]).toEqual([400, expect.stringContaining('partition name \\"a\\" is used twice')]);
    const badDep = await hub.api('PUT', `/api/v1/bundles/${bundle}`, { resources: configMap({ v: '1' }), targets: [], dependsOn: [{ acceptedStates: ['Ready'] }] });
    expect([badDep.status, JSON.stringify(badDep.body)]).toEqual([400, expect.stringContaining("must specify either 'name' or 'selector'")]);

    await put(bundle, run, { v: '1' });
    const noEntry = await hub.api('POST', `/api/v1/bundles/${bundle}/rollout/rollback`, { to: 9 });
    expect(noEntry).toMatchObject({ status: 404, body: { error: 'RolloutNotFound', message: expect.stringContaining('#9') } });
    const toCurrent = await hub.api('POST', `/api/v1/bundles/${bundle}/rollout/rollback`, { to: 1 });
    expect(toCurrent).toMatchObject({ status: 409, body: { error: 'RollbackNotPossible' } });
    const badTo = await hub.api('POST', `/api/v1/bundles/${bundle}/rollout/rollback`, { to: 'one' });
    expect(badTo.status).toBe(400);
    expect((await hub.api('POST', `/api/v1/bundles/${bundle}/rollout/unpin`)).body).toMatchObject({ error: 'NotPinned' });
    expect((await hub.api('POST', '/api/v1/bundles/no-such-bundle/rollout/pause')).status).toBe(404);
    expect((await hub.api('POST', '/api/v1/gitrepos/no-such-repo/rollout/pause')).body).toMatchObject({ error: 'GitRepoNotFound' });
    expect((await rollout(bundle)).pinned).toBeNull();
  });

  it('deploys nothing outside every delivery window, says when the next opens, and goes on once one is open', async () => {
    const run = unique('w');
    const a = await agents(run, { one: 'any' });
    const app = unique('win');
    const hour = (new Date().getUTCHours() + 2) % 24;
    const closed = { schedule: [{ schedule: `0 ${hour} * * *`, duration: '30m' }] };
    const v1 = await put(app, run, { v: '1' }, closed);
    const waiting = await eventually(async () => {
      const r = await rollout(app);
      expect(r.rollout).toMatchObject({ state: 'OutsideWindow', message: expect.stringContaining('the next opens at') });
      return r;
    });
    expect(new Date(waiting.rollout.waitUntil).getUTCHours()).toBe(hour);
    await new Promise((r) => setTimeout(r, 500));
    expect(given(a.one!, app)).toBeUndefined();
    const badWindow = await hub.api('PUT', `/api/v1/bundles/${app}`, { resources: configMap({ v: '1' }), targets: [], schedule: [{ schedule: '0 22 * * *', duration: '2 hours' }] });
    expect(badWindow.body).toMatchObject({ error: 'ValidationFailed', field: 'body.schedule.0.duration' });
    await put(app, run, { v: '1' }, { schedule: [{ schedule: '* * * * *', duration: '1h', location: 'Europe/Berlin' }] });
    await eventually(() => expect(given(a.one!, app)).toBe(v1));
  });

  it("rolls a directory bundle by its fleet.yaml rolloutStrategy, and fleet.yaml's paused holds it", async () => {
    const run = unique('y');
    const a = await agents(run, { c1: 'canary', m1: 'main' });
    const dir = unique('dir');
    const fleetYaml = (extra: string) =>
      [
        'defaultNamespace: web',
        'ignore:',
        '  conditions:',
        '    - { type: Ready, status: "False" }',
        'rolloutStrategy:',
        '  partitions:',
        `    - { name: canary, maxUnavailable: 0, clusterSelector: { matchLabels: { tier: canary, run: ${run} } } }`,
        `    - { name: main, maxUnavailable: 0, clusterSelector: { matchLabels: { tier: main, run: ${run} } } }`,
        extra,
      ].join('\n');
    const putDir = async (version: string, extra = '') => {
      const res = await hub.api('PUT', `/api/v1/bundles/${dir}`, {
        directory: { archive: await archiveOf({ 'fleet.yaml': fleetYaml(extra), 'cm.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: cm }\ndata: { v: "${version}" }\n` }) },
        targets: [{ clusterSelector: { matchLabels: { run } } }],
      });
      expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
    };
    await putDir('1');
    const r1 = await eventually(() => {
      const r = given(a.c1!, dir);
      expect(r).toBeDefined();
      return r;
    });
    expect(given(a.m1!, dir)).toBeUndefined();
    expect((await rollout(dir)).strategy.partitions.map((p: { name: string }) => p.name)).toEqual(['canary', 'main']);
    // fleet.yaml ignore.conditions reach the agent with the deployment's options.
    expect(givenOf(a.c1!, dir)?.options?.ignoreConditions).toEqual([{ fields: { type: 'Ready', status: 'False' } }]);
    await report(a.c1!, dir);
    await eventually(() => expect(given(a.m1!, dir)).toBeDefined());

    await putDir('2', 'paused: true');
    await eventually(async () => expect(await rollout(dir)).toMatchObject({ paused: true, pausedBy: ['fleet.yaml'], rollout: { seq: 2, state: 'Paused' } }));
    expect(given(a.c1!, dir)).toBe(r1);
  });
});
