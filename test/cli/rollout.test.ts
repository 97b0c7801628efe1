import { PassThrough } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../cli/src/cli.ts';
import { latestDesired, register, reportStatus, watch, type OpenWatch } from '../support/agent-client.ts';
import { eventually } from '../support/eventually.ts';
import { startHub, type TestHub } from '../support/hub.ts';
import { freePort } from '../support/ports.ts';
import { flotilla, flotillaProcess } from './cli-support.ts';

/*
 * `flotilla rollout` on a real hub (PostgreSQL, Redis) with simulated agents:
 * each test registers its own clusters (a unique `run` label) and plays their
 * agents, reporting Ready or ErrApplied for what they were given, as
 * test/hub/rollouts.test.ts does for the API itself.
 */

let hub: TestHub;
let env: NodeJS.ProcessEnv;
let registrationToken: string;
const streams: OpenWatch[] = [];

beforeAll(async () => {
  hub = await startHub({ env: { FLOTILLA_ROLLOUT_RECHECK_SECONDS: '2' } });
  env = { HOME: '/nonexistent', FLOTILLA_HUB_URL: hub.httpUrl, FLOTILLA_TOKEN: hub.adminToken };
  registrationToken = (await hub.api('POST', '/api/v1/registration-tokens', {})).body.token;
});
afterEach(() => {
  for (const s of streams.splice(0)) s.cancel();
});
afterAll(async () => {
  await hub?.dispose();
});

interface Agent {
  name: string;
  credential: string;
  stream: OpenWatch;
}

const READY = 1;
const ERR_APPLIED = 7;
const unique = (name: string) => `${name}-${Math.random().toString(36).slice(2, 8)}`;

async function agents(run: string, tiers: Record<string, string>): Promise<Record<string, Agent>> {
  const out: Record<string, Agent> = {};
  for (const [role, tier] of Object.entries(tiers)) {
    const name = `${role}-${run}`;
    const reg = await register(hub, { token: registrationToken, identity: `cli-rollout-${name}`, labels: { tier, run }, name });
    const stream = watch(hub, reg.credential);
    streams.push(stream);
    out[role] = { name, credential: reg.credential, stream };
  }
  return out;
}

const given = (agent: Agent, bundle: string) => latestDesired(agent.stream)?.deployments.find((d) => d.bundleName === bundle)?.revision;

/** Plays the agent: reports `state` for the revision of `bundle` it was given. */
async function report(agent: Agent, bundle: string, state = READY): Promise<void> {
  const d = latestDesired(agent.stream)?.deployments.find((x) => x.bundleName === bundle);
  if (!d) throw new Error(`${agent.name} was given no ${bundle}`);
  await reportStatus(hub, agent.credential, [{ deploymentId: d.deploymentId, appliedRevision: d.revision, state, reason: '', message: '', resources: [] }]);
}

async function put(bundle: string, run: string, data: Record<string, string>, extra: Record<string, unknown> = {}): Promise<string> {
  const resources = [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data }];
  const res = await hub.api('PUT', `/api/v1/bundles/${bundle}`, { resources, targets: [{ clusterSelector: { matchLabels: { run } } }], ...extra });
  expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
  return res.body.revision as string;
}

const partitions = (run: string, main: Record<string, unknown> = {}) => ({
  rolloutStrategy: {
    partitions: [
      { name: 'canary', clusterSelector: { matchLabels: { tier: 'canary', run } }, maxUnavailable: 0 },
      { name: 'main', clusterSelector: { matchLabels: { tier: 'main', run } }, maxUnavailable: 0, ...main },
    ],
  },
});

/** Starts `flotilla argv` in this process; `stderr()` is what it printed so far, so a test can act once a wait has read a state. */
function start(argv: string[]): { stderr(): string; done: Promise<{ code: number; stdout: string; stderr: string }> } {
  const [stdout, stderr] = [new PassThrough(), new PassThrough()];
  const out: string[] = [];
  const err: string[] = [];
  stdout.on('data', (d: Buffer) => out.push(d.toString()));
  stderr.on('data', (d: Buffer) => err.push(d.toString()));
  const done = runCli(argv, { stdout, stderr, env }).then((code) => ({ code, stdout: out.join(''), stderr: err.join('') }));
  return { stderr: () => err.join(''), done };
}

const state = async (bundle: string) => (await hub.api('GET', `/api/v1/bundles/${bundle}/rollout`)).body.rollout?.state;

describe('flotilla rollout', () => {
  it('shows the status as text and JSON; status --wait exits 0 when the rollout completes and 4 when it halts; promote goes on past a halt', async () => {
    const run = unique('s');
    const a = await agents(run, { c1: 'canary', m1: 'main' });
    const web = unique('web');
    const v1 = await put(web, run, { v: '1' }, partitions(run));
    await eventually(() => expect(given(a.c1!, web)).toBe(v1));

    const text = await flotilla(['rollout', 'status', web], env);
    expect(text).toMatchObject({ code: 0, stderr: '' });
    expect(text.stdout).toMatch(new RegExp(`^bundle ${web}: rollout #1 Waiting\npartition "canary": 1 of 1 cluster\\(s\\) not Ready on the new revision yet \\(max unavailable 0\\)\ncause created, revision sha256:[0-9a-f]{12}, started \\d+s ago, updated \\d+s ago\n\n`));
    expect(text.stdout.split('\n').slice(4)).toEqual([
      'NAME     STATE     CLUSTERS   NOT-READY   MAX-UNAVAIL   APPROVAL',
      'canary   Rolling   1          1           0             <none>',
      'main     Pending   1          1           0             <none>',
      '',
    ]);
    const json = await flotilla(['rollout', 'status', web, '-o', 'json'], env);
    expect(JSON.parse(json.stdout)).toMatchObject({ bundle: web, paused: false, pinned: null, rollout: { seq: 1, state: 'Waiting', revision: v1, partitions: [{ name: 'canary' }, { name: 'main' }] } });

    const timedOut = await flotilla(['rollout', 'status', web, '--wait', '--timeout', '1s'], env);
    expect(timedOut.code).toBe(6);
    expect(timedOut.stderr).toMatch(new RegExp(`flotilla rollout status: rollout #1 of "${web}" is still Waiting after 1s: partition "canary": .* \\[WaitTimeout\\]\n$`));

    // --wait follows the rollout to its end: canary Ready, then main Ready.
    const completed = start(['rollout', 'status', web, '--wait', '--timeout', '1m']);
    await eventually(() => expect(completed.stderr()).toContain('rollout #1 Waiting'));
    await report(a.c1!, web);
    await eventually(() => expect(given(a.m1!, web)).toBe(v1));
    await report(a.m1!, web);
    const done = await completed.done;
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toContain(`bundle ${web}: rollout #1 Completed\n`);
    expect(done.stderr).toMatch(/^rollout #1 Waiting: partition "canary"/);
    expect(done.stderr).toContain('rollout #1 Completed\n');

    // v2 fails on the canary: --wait exits 4 and says why; main stays on v1.
    const v2 = await put(web, run, { v: '2' }, partitions(run));
    await eventually(() => expect(given(a.c1!, web)).toBe(v2));
    const halting = start(['rollout', 'status', web, '--wait']);
    await eventually(() => expect(halting.stderr()).toContain('rollout #2 Waiting'));
    await report(a.c1!, web, ERR_APPLIED);
    const halted = await halting.done;
    expect(halted.code, halted.stderr).toBe(4);
    expect(halted.stderr).toMatch(new RegExp(`flotilla rollout status: rollout #2 of "${web}" halted: partition "canary": 1 of 1 cluster\\(s\\) failed \\(max unavailable 0\\): ${a.c1!.name} ErrApplied \\[RolloutHalted\\]\n$`));
    expect(halted.stdout).toContain(`canary   Halted    1          1           0             <none>\n  failed: ${a.c1!.name} ErrApplied\nmain `);
    // The same as a user's shell sees it: the built CLI's exit code.
    expect(flotillaProcess(['rollout', 'status', web, '--wait', '-o', 'yaml'], env)).toMatchObject({ code: 4, stdout: expect.stringContaining('state: Halted') });
    expect(given(a.m1!, web)).toBe(v1);

    const unknownPartition = await flotilla(['rollout', 'promote', web, '--partition', 'qa'], env);
    expect(unknownPartition).toEqual({ code: 1, stdout: '', stderr: `flotilla rollout: rollout #2 of "${web}" has no partition "qa" (it has "canary", "main") [PartitionNotFound]\n` });
    expect(await flotilla(['rollout', 'promote', web], env)).toEqual({ code: 0, stdout: `rollout #2 of ${web}: partition "canary" promoted\n`, stderr: '' });
    await eventually(() => expect(given(a.m1!, web)).toBe(v2));
  });

  it('status --wait exits 5 at an approval gate, or waits through it with --wait-approval until a promote', async () => {
    const run = unique('g');
    const a = await agents(run, { c1: 'canary', m1: 'main' });
    const app = unique('gate');
    const v1 = await put(app, run, { v: '1' }, partitions(run, { requireApproval: true }));
    await eventually(() => expect(given(a.c1!, app)).toBe(v1));
    await report(a.c1!, app);
    await eventually(async () => expect(await state(app)).toBe('AwaitingApproval'));

    const held = await flotilla(['rollout', 'status', app, '--wait'], env);
    expect(held.code).toBe(5);
    expect(held.stderr).toContain(`flotilla rollout status: rollout #1 of "${app}" waits for approval: partition "main" waits for approval (promote the rollout) (\`flotilla rollout promote ${app}\`) [RolloutAwaitingApproval]\n`);
    expect(held.stdout).toContain('main     AwaitingApproval   1          1           0             required\n');

    const through = start(['rollout', 'status', app, '--wait', '--wait-approval', '--timeout', '1m']);
    await eventually(() => expect(through.stderr()).toContain('rollout #1 AwaitingApproval'));
    expect(await flotilla(['rollout', 'promote', app, '--partition', 'main'], env)).toMatchObject({ code: 0, stdout: `rollout #1 of ${app}: partition "main" promoted\n` });
    await eventually(() => expect(given(a.m1!, app)).toBe(v1));
    await report(a.m1!, app);
    const done = await through.done;
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toContain('main     Done    1          0           0             approved\n');
  });

  it('rolls back to an existing entry and pins; a missing entry exits 1 naming it; unpin; history lists every entry', async () => {
    const run = unique('b');
    const a = await agents(run, { x: 'any' });
    const app = unique('app');
    const v1 = await put(app, run, { v: '1' });
    await put(app, run, { v: '2' });

    const missing = await flotilla(['rollout', 'rollback', app, '--to', '9'], env);
    expect(missing).toEqual({ code: 1, stdout: '', stderr: `flotilla rollout: bundle "${app}" has no history entry #9 (see GET /api/v1/bundles/${app}/rollouts) [RolloutNotFound]\n` });
    const current = await flotilla(['rollout', 'rollback', app, '--to', '2'], env);
    expect(current).toMatchObject({ code: 1, stderr: expect.stringContaining('[RollbackNotPossible]') });

    const back = await flotilla(['rollout', 'rollback', app, '--to', '1', '--until', 'unpinned'], env);
    expect(back).toMatchObject({ code: 0, stdout: expect.stringMatching(new RegExp(`^${app} rolled back to #1: rollout #3 \\w+, pinned until unpinned\n$`)), stderr: '' });
    await eventually(() => expect(given(a.x!, app)).toBe(v1));
    expect((await flotilla(['rollout', 'status', app], env)).stdout).toMatch(new RegExp(`^bundle ${app}: rollout #3 \\w+ \\(pinned to #1 until unpinned\\)\n`));

    expect(await flotilla(['rollout', 'unpin', app], env)).toMatchObject({ code: 0, stdout: expect.stringMatching(new RegExp(`^${app} unpinned: rollout #4 \\w+\n$`)) });
    expect(await flotilla(['rollout', 'unpin', app], env)).toEqual({ code: 1, stdout: '', stderr: `flotilla rollout: bundle "${app}" is not pinned [NotPinned]\n` });

    const history = await flotilla(['rollout', 'history', app], env);
    expect(history.code).toBe(0);
    const rows = history.stdout.trimEnd().split('\n');
    expect(rows[0]).toMatch(/^SEQ +STATE +CAUSE +COMMIT +REVISION +CREATED$/);
    expect(rows.slice(1).map((r) => r.split(/ {3,}/).filter(Boolean).slice(0, 3))).toEqual([
      ['#4', expect.any(String), 'unpin'],
      ['#3', 'Superseded', 'rollback to #1'],
      ['#2', 'Superseded', 'change'],
      ['#1', expect.any(String), 'created'],
    ]);
    const two = await flotilla(['rollout', 'history', app, '--limit', '2', '-o', 'json'], env);
    expect(JSON.parse(two.stdout).map((r: { seq: number }) => r.seq)).toEqual([4, 3]);
  });

  it('pauses and resumes a bundle (status --wait exits 5 while paused) and a GitRepo', async () => {
    const run = unique('p');
    const a = await agents(run, { x: 'any' });
    const app = unique('paused');
    const v1 = await put(app, run, { v: '1' });
    await eventually(() => expect(given(a.x!, app)).toBe(v1));

    expect(await flotilla(['rollout', 'pause', app], env)).toEqual({ code: 0, stdout: `rollouts of ${app} paused\n`, stderr: '' });
    await put(app, run, { v: '2' });
    await eventually(async () => expect(await state(app)).toBe('Paused'));
    const paused = await flotilla(['rollout', 'status', app, '--wait'], env);
    expect(paused.code).toBe(5);
    expect(paused.stdout).toMatch(new RegExp(`^bundle ${app}: rollout #2 Paused \\(paused by api\\)\n`));
    expect(paused.stderr).toContain(`flotilla rollout status: rollout #2 of "${app}" is paused by api`);
    expect(paused.stderr).toContain(`(\`flotilla rollout resume ${app}\`) [RolloutPaused]\n`);
    const resumed = await flotilla(['rollout', 'resume', app, '-o', 'json'], env);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ bundle: app, paused: false, pausedBy: [] });
    await eventually(() => expect(given(a.x!, app)).not.toBe(v1));

    const repo = unique('repo');
    expect((await hub.api('PUT', `/api/v1/gitrepos/${repo}`, { repo: 'https://git.example.invalid/apps.git', branch: 'main', pollingInterval: 3600 })).status).toBe(201);
    expect(await flotilla(['rollout', 'pause', '--gitrepo', repo], env)).toEqual({ code: 0, stdout: `rollouts of GitRepo ${repo} paused\n`, stderr: '' });
    expect(await flotilla(['rollout', 'resume', '--gitrepo', repo], env)).toEqual({ code: 0, stdout: `rollouts of GitRepo ${repo} resumed\n`, stderr: '' });
    expect(await flotilla(['rollout', 'pause', '--gitrepo', 'no-such-repo'], env)).toEqual({ code: 1, stdout: '', stderr: 'flotilla rollout: GitRepo "no-such-repo" not found [GitRepoNotFound]\n' });
  });

  it('exits 1 with the hub\'s message for an unknown bundle, a revoked token and a readonly token', async () => {
    for (const argv of [['status', 'nope'], ['status', 'nope', '--wait'], ['history', 'nope'], ['pause', 'nope'], ['promote', 'nope'], ['rollback', 'nope', '--to', '1'], ['unpin', 'nope']]) {
      expect(await flotilla(['rollout', ...argv], env), argv.join(' ')).toEqual({ code: 1, stdout: '', stderr: 'flotilla rollout: bundle "nope" not found [BundleNotFound]\n' });
    }
    const created = (await hub.api('POST', '/api/v1/api-tokens', { name: unique('ci'), role: 'admin' })).body;
    expect((await hub.api('DELETE', `/api/v1/api-tokens/${created.id}`)).status).toBeLessThan(300);
    expect(await flotilla(['rollout', 'status', 'nope'], { ...env, FLOTILLA_TOKEN: created.token })).toEqual({
      code: 1,
      stdout: '',
      stderr: `flotilla rollout: the hub at ${hub.httpUrl}/ refused the API token: it is invalid, expired or revoked; run \`flotilla login\` [ApiTokenInvalid]\n`,
    });
    const readonly = (await hub.api('POST', '/api/v1/api-tokens', { name: unique('viewer'), role: 'readonly' })).body.token;
    expect(await flotilla(['rollout', 'pause', 'nope'], { ...env, FLOTILLA_TOKEN: readonly })).toMatchObject({ code: 1, stderr: expect.stringContaining('[ApiRoleForbidden]') });
    // A readonly token may read (GET): the hub answers for the bundle, not for the role.
    expect(await flotilla(['rollout', 'status', 'nope'], { ...env, FLOTILLA_TOKEN: readonly })).toMatchObject({ code: 1, stderr: expect.stringContaining('[BundleNotFound]') });
  });

  it('refuses a bad command line with exit 2 before any request', async () => {
    // Nothing listens here: a request would exit 1 with HubUnreachable.
    const dead = { HOME: '/nonexistent', FLOTILLA_HUB_URL: `http://127.0.0.1:${await freePort()}`, FLOTILLA_TOKEN: 'unused' };
    const cases: Array<[string[], string]> = [
      [['rollback', 'web', '--to', 'two'], '--to must be a positive integer (got "two")'],
      [['rollback', 'web', '--to', '0'], '--to must be a positive integer (got "0")'],
      [['rollback', 'web', '--to', '-1'], "Option '--to' argument is ambiguous"],
      [['rollback', 'web'], 'rollout rollback needs --to SEQ'],
      [['rollback', 'web', '--to', '1', '--until', 'later'], '--until must be unpinned or newContent'],
      [['status', 'web', '--wait', '--timeout', 'soon'], '--timeout must be a duration'],
      [['status'], 'rollout status takes one BUNDLE'],
      [['restart', 'web'], 'unknown subcommand "restart"'],
      [['promote', 'web', '--to', '1'], '--to is for rollout rollback'],
    ];
    for (const [argv, message] of cases) {
      const r = await flotilla(['rollout', ...argv], dead);
      expect(r, argv.join(' ')).toEqual({ code: 2, stdout: '', stderr: expect.stringContaining(message) });
      expect(r.stderr).toContain('Run `flotilla rollout --help` for usage.');
    }
    expect((await flotilla(['rollout', 'status', 'web'], dead)).stderr).toContain('[HubUnreachable]');
  });

  // Last: it restarts the hub.
  it('status --wait keeps waiting while the hub restarts, then exits 0 when the rollout completes', async () => {
    const run = unique('h');
    const a = await agents(run, { c1: 'canary', m1: 'main' });
    const app = unique('restart');
    const v1 = await put(app, run, { v: '1' }, partitions(run));
    await eventually(() => expect(given(a.c1!, app)).toBe(v1));
    const waiting = start(['rollout', 'status', app, '--wait', '--timeout', '2m']);
    await eventually(() => expect(waiting.stderr()).toContain('rollout #1 Waiting'));
    await hub.stop();
    await eventually(() => expect(waiting.stderr()).toContain(`warning: cannot reach the hub at ${hub.httpUrl}/: connection refused; still waiting\n`));
    await hub.start();
    await report(a.c1!, app);
    const m1 = watch(hub, a.m1!.credential); // the old stream ended with the hub
    streams.push(m1);
    await eventually(() => expect(given({ ...a.m1!, stream: m1 }, app)).toBe(v1));
    await report({ ...a.m1!, stream: m1 }, app);
    const done = await waiting.done;
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toContain(`bundle ${app}: rollout #1 Completed\n`);
  });
});
