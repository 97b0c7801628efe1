import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { OpenWatch } from '../support/agent-client.ts';
import { eventually } from '../support/eventually.ts';
import { startHub, type TestHub } from '../support/hub.ts';
import { ERR_APPLIED, givenOf, reportAs, simulatedAgents } from '../support/simulated-agents.ts';
import { flotilla } from './cli-support.ts';

/** `flotilla status` and `flotilla watch` on a real hub with simulated clusters. */
let hub: TestHub;
let env: NodeJS.ProcessEnv;
let token: string;
const streams: OpenWatch[] = [];
beforeAll(async () => {
  hub = await startHub({ env: { FLOTILLA_ROLLOUT_RECHECK_SECONDS: '2' } });
  env = { HOME: '/nonexistent', FLOTILLA_HUB_URL: hub.httpUrl, FLOTILLA_TOKEN: hub.adminToken };
  token = (await hub.api('POST', '/api/v1/registration-tokens', {})).body.token;
});
afterEach(() => {
  for (const s of streams.splice(0)) s.cancel();
});
afterAll(async () => {
  await hub?.dispose();
});

const unique = (name: string) => `${name}-${Math.random().toString(36).slice(2, 8)}`;

async function halted(): Promise<{ app: string; canary: string }> {
  const run = unique('r');
  const a = await simulatedAgents(hub, token, run, { c1: { tier: 'canary' }, m1: { tier: 'main' } }, streams);
  const app = unique('app');
  await hub.api('PUT', `/api/v1/bundles/${app}`, {
    resources: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: {} }],
    targets: [{ clusterSelector: { matchLabels: { run } } }],
    rolloutStrategy: { partitions: [{ name: 'canary', clusterSelector: { matchLabels: { tier: 'canary', run } }, maxUnavailable: 0 }, { name: 'main', clusterSelector: { matchLabels: { tier: 'main', run } } }] },
  });
  await eventually(() => expect(givenOf(a.c1!, app)).toBeDefined());
  await reportAs(hub, a.c1!, app, ERR_APPLIED);
  await eventually(async () => expect((await hub.api('GET', `/api/v1/bundles/${app}/rollout`)).body.rollout.state).toBe('Halted'));
  return { app, canary: a.c1!.name };
}

describe('flotilla status', () => {
  it('shows every bundle at a glance, and one bundle with its rollout and the clusters not Ready', async () => {
    const { app, canary } = await halted();
    const all = await flotilla(['status'], env);
    expect(all.code, all.stderr).toBe(0);
    const lines = all.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^BUNDLE\s+GITREPO\s+READY\s+NOT READY\s+WORST\s+ROLLOUT$/);
    expect(lines.find((l) => l.startsWith(app))).toMatch(new RegExp(`^${app}\\s+-\\s+0/2\\s+Pending=1,ErrApplied=1\\s+ErrApplied \\(${canary}: ApplyFailed\\)\\s+#1 Halted$`));
    const json = await flotilla(['status', '-o', 'json'], env);
    expect(JSON.parse(json.stdout).find((b: { bundle: string }) => b.bundle === app)).toMatchObject({ total: 2, counts: { ErrApplied: 1, Pending: 1 } });

    const one = await flotilla(['status', app], env);
    expect(one.code, one.stderr).toBe(0);
    expect(one.stdout).toContain('Halted');
    expect(one.stdout).toMatch(new RegExp(`${canary}\\s+ErrApplied\\s+ApplyFailed`));
    expect(JSON.parse((await flotilla(['status', app, '-o', 'json'], env)).stdout)).toMatchObject({ rollout: { bundle: app, rollout: { state: 'Halted' } }, notReady: [{ state: 'ErrApplied' }, { state: 'Pending' }] });
  });

  it('says clearly when the name is neither a GitRepo nor a bundle, and refuses a bad command line', async () => {
    const r = await flotilla(['status', 'no-such-thing'], env);
    expect([r.code, r.stderr.trim()]).toEqual([1, 'flotilla status: no GitRepo or bundle named "no-such-thing" [NotFound]']);
    expect((await flotilla(['status', 'a', 'b'], env)).code).toBe(2);
    expect((await flotilla(['status'], { ...env, FLOTILLA_TOKEN: 'flt_api_bogus' })).code).toBe(1);
  });
});

describe('flotilla watch', () => {
  it('prints events as they happen, filtered, and stops after --count', async () => {
    const app = unique('watched');
    const watching = flotilla(['watch', '--bundle', app, '--kind', 'rollout.paused,rollout.resumed', '--count', '2', '-o', 'json'], env);
    await new Promise((r) => setTimeout(r, 1000));
    await hub.api('PUT', `/api/v1/bundles/${app}`, { resources: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: {} }], targets: [] });
    await hub.api('POST', `/api/v1/bundles/${app}/rollout/pause`);
    await hub.api('POST', `/api/v1/bundles/${app}/rollout/resume`);
    const r = await watching;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l).kind)).toEqual(['rollout.paused', 'rollout.resumed']);
    const text = await flotilla(['watch', '--bundle', app, '--after', '0', '--count', '1'], env);
    expect(text.stdout).toMatch(new RegExp(`^\\S+Z\\s+info\\s+rollout.started\\s+${app}\\s+rollout #1 of ${app} started`));
  });

  it('refuses a bad filter (the hub) and a bad command line (before any request)', async () => {
    const bad = await flotilla(['watch', '--kind', 'rollout.exploded'], env);
    expect([bad.code, bad.stderr]).toEqual([1, expect.stringContaining('not an event kind')]);
    expect((await flotilla(['watch', '--count', 'many'], env)).code).toBe(2);
    expect((await flotilla(['watch', '--after', 'x'], { HOME: '/nonexistent', FLOTILLA_HUB_URL: 'http://127.0.0.1:9', FLOTILLA_TOKEN: 't' })).code).toBe(2);
  });
});
