import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { OpenWatch } from '../support/agent-client.ts';
import { eventually } from '../support/eventually.ts';
import { startHub, type TestHub } from '../support/hub.ts';
import { ERR_APPLIED, givenOf, reportAs, simulatedAgents } from '../support/simulated-agents.ts';

/*
 * Fleet-wide status on a real hub: counts by displayed state per bundle (Pending
 * before the rollout reaches a cluster, OutOfSync while Ready on an older
 * revision), "where is revision X running", "which clusters are not on the
 * latest revision", filters and bad input.
 */

let hub: TestHub;
let token: string;
const streams: OpenWatch[] = [];

beforeAll(async () => {
  hub = await startHub();
  token = (await hub.api('POST', '/api/v1/registration-tokens', {})).body.token;
});
afterEach(() => {
  for (const s of streams.splice(0)) s.cancel();
});
afterAll(async () => {
  await hub?.dispose();
});

const unique = (name: string) => `${name}-${Math.random().toString(36).slice(2, 8)}`;

describe('fleet-wide status', () => {
  it('counts displayed states per bundle and answers where a revision runs and who is behind', async () => {
    const run = unique('s');
    const a = await simulatedAgents(hub, token, run, { c1: { tier: 'canary' }, m1: { tier: 'main' }, m2: { tier: 'main' } }, streams);
    const app = unique('app');
    const put = async (v: string) =>
      (
        await hub.api('PUT', `/api/v1/bundles/${app}`, {
          resources: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { v } }],
          targets: [{ clusterSelector: { matchLabels: { run } } }],
          rolloutStrategy: { partitions: [{ name: 'canary', clusterSelector: { matchLabels: { tier: 'canary', run } }, maxUnavailable: 0 }, { name: 'main', clusterSelector: { matchLabels: { tier: 'main', run } }, maxUnavailable: 0 }] },
        })
      ).body.revision as string;
    const v1 = await put('1');
    await eventually(() => expect(givenOf(a.c1!, app)?.revision).toBe(v1));
    // Before the canary is Ready, main's deployments exist but were never deployed: Pending.
    const first = (await hub.api('GET', `/api/v1/bundles/${app}/status`)).body;
    expect(first.counts).toMatchObject({ Pending: 2, WaitApplied: 1 });
    await reportAs(hub, a.c1!, app);
    await eventually(() => expect(givenOf(a.m2!, app)?.revision).toBe(v1));
    await reportAs(hub, a.m1!, app);
    await reportAs(hub, a.m2!, app);

    // v2 fails on the canary: main is Ready on v1 with v2 staged → OutOfSync.
    const v2 = await put('2');
    await eventually(() => expect(givenOf(a.c1!, app)?.revision).toBe(v2));
    await reportAs(hub, a.c1!, app, ERR_APPLIED);
    const summary = await eventually(async () => {
      const page = (await hub.api('GET', `/api/v1/status/bundles?limit=1000`)).body;
      const mine = page.items.find((b: { bundle: string }) => b.bundle === app);
      expect(mine.counts).toMatchObject({ ErrApplied: 1, OutOfSync: 2, Ready: 0 });
      expect(mine.rollout).toMatchObject({ seq: 2, state: 'Halted' });
      return mine;
    });
    expect(summary).toMatchObject({ total: 3, gitRepo: null, worst: { state: 'ErrApplied', reason: 'ApplyFailed', cluster: a.c1!.name }, rollout: { seq: 2, state: 'Halted' } });
    const errOnly = (await hub.api('GET', '/api/v1/status/bundles?state=ErrApplied')).body.items.map((b: { bundle: string }) => b.bundle);
    expect(errOnly).toContain(app);
    const readyOnly = (await hub.api('GET', '/api/v1/status/bundles?state=Ready')).body.items.map((b: { bundle: string }) => b.bundle);
    expect(readyOnly).not.toContain(app);

    const onV1 = (await hub.api('GET', `/api/v1/deployments?revision=${encodeURIComponent(v1)}`)).body.items.map((d: { clusterName: string }) => d.clusterName);
    // The canary was given v2 (and failed applying it); main still runs v1.
    expect(onV1).toEqual([a.m1!.name, a.m2!.name]);
    const onV2 = (await hub.api('GET', `/api/v1/deployments?revision=${encodeURIComponent(v2)}`)).body.items.map((d: { clusterName: string; state: string }) => [d.clusterName, d.state]);
    expect(onV2).toEqual([[a.c1!.name, 'ErrApplied']]);
    const behind = (await hub.api('GET', `/api/v1/deployments?bundle=${app}&notOnLatest=true&selector=${encodeURIComponent('tier in (main)')}`)).body;
    expect(behind.items.map((d: { clusterName: string; state: string; stagedRevision: string }) => [d.clusterName, d.state, d.stagedRevision])).toEqual([
      [a.m1!.name, 'OutOfSync', v2],
      [a.m2!.name, 'OutOfSync', v2],
    ]);
    const paged = (await hub.api('GET', `/api/v1/deployments?bundle=${app}&limit=2`)).body;
    const rest = (await hub.api('GET', `/api/v1/deployments?bundle=${app}&limit=2&cursor=${encodeURIComponent(paged.nextCursor)}`)).body;
    expect([...paged.items, ...rest.items].map((d: { clusterName: string }) => d.clusterName)).toEqual([a.c1!.name, a.m1!.name, a.m2!.name]);
    expect(rest.nextCursor).toBeNull();
    const status = (await hub.api('GET', `/api/v1/bundles/${app}/status?state=OutOfSync`)).body;
    expect(status.items.map((d: { clusterName: string }) => d.clusterName)).toEqual([a.m1!.name, a.m2!.name]);
    // Per revision: v2 is staged everywhere, given to the canary only; v1 still given to and running on main.
    expect(status.revisions).toEqual([
      { revision: v2, staged: 3, deployed: 1, applied: 1 },
      { revision: v1, staged: 0, deployed: 2, applied: 2 },
    ]);
    // Per GitRepo: these API bundles are under gitRepo null, worst ErrApplied.
    const fleet = (await hub.api('GET', '/api/v1/status')).body as { gitRepo: string | null; counts: Record<string, number>; worst: string }[];
    expect(fleet.find((g) => g.gitRepo === null)).toMatchObject({ worst: 'ErrApplied', counts: { ErrApplied: expect.any(Number), OutOfSync: expect.any(Number) } });
  });

  it('refuses bad filters with a precise message', async () => {
    expect((await hub.api('GET', '/api/v1/deployments?state=Broken')).body).toMatchObject({ error: 'ValidationFailed', field: 'query.state' });
    expect((await hub.api('GET', '/api/v1/deployments?selector=env%3D%3D%3Dx')).body).toMatchObject({ error: 'InvalidSelector', field: expect.stringContaining('query.selector') });
    expect((await hub.api('GET', '/api/v1/deployments?bundle=no-such-bundle')).body).toMatchObject({ error: 'BundleNotFound' });
    expect((await hub.api('GET', '/api/v1/deployments?cursor=garbage')).body).toMatchObject({ error: 'ValidationFailed', field: 'query.cursor' });
    expect((await hub.api('GET', '/api/v1/status/bundles?notOnLatest=true')).status).toBe(400);
    expect((await hub.api('GET', '/api/v1/deployments?notOnLatest=maybe')).body).toMatchObject({ field: 'query.notOnLatest' });
  });
});
