import { describe, expect, it } from 'vitest';
import type { BundleRollout, Rollout } from './rollout-api.types.js';
import { ROLLOUT_EXIT, waitEnd, waitForRollout } from './rollout-wait.js';

const at = (state: Rollout['state'], message = '', v: Partial<BundleRollout> = {}): BundleRollout => ({
  bundle: 'web', paused: false, pausedBy: [], pinned: null, strategy: {},
  rollout: { seq: 3, state, message, cause: 'change', commit: '', revision: null, source: null, partitions: [], promoted: [], outcome: {}, createdAt: '', completedAt: null, updatedAt: '' },
  ...v,
});

describe('waitEnd', () => {
  it('ends a wait with 0 when completed, distinct codes when halted or held, and not while the rollout moves', () => {
    expect(waitEnd(at('Completed'), false)).toEqual({ code: 0 });
    expect(waitEnd(at('Halted', 'partition "canary": 1 of 1 cluster(s) failed'), false)).toEqual({
      code: ROLLOUT_EXIT.halted, reason: 'RolloutHalted', message: 'rollout #3 of "web" halted: partition "canary": 1 of 1 cluster(s) failed',
    });
    expect(waitEnd(at('AwaitingApproval', 'partition "prod" waits for approval (promote the rollout)'), false)).toMatchObject({ code: ROLLOUT_EXIT.held, reason: 'RolloutAwaitingApproval', message: expect.stringContaining('flotilla rollout promote web') });
    expect(waitEnd(at('Paused', '', { paused: true, pausedBy: ['api', 'gitRepo'] }), false)).toEqual({
      code: ROLLOUT_EXIT.held, reason: 'RolloutPaused', message: 'rollout #3 of "web" is paused by api, gitRepo (`flotilla rollout resume web`; `flotilla rollout resume --gitrepo NAME`)',
    });
    for (const state of ['Progressing', 'Waiting', 'OutsideWindow', 'Superseded'] as const) expect(waitEnd(at(state), false)).toBeUndefined();
  });

  it('waits through approval gates and pauses with waitApproval, never through a halt', () => {
    expect(waitEnd(at('AwaitingApproval'), true)).toBeUndefined();
    expect(waitEnd(at('Paused'), true)).toBeUndefined();
    expect(waitEnd(at('Halted'), true)?.code).toBe(ROLLOUT_EXIT.halted);
  });

  it('has nothing to wait for without a rollout', () => expect(waitEnd(at('Completed', '', { rollout: null }), false)).toMatchObject({ code: 0 }));
});

describe('waitForRollout', () => {
  /** A fake clock the sleeps advance. */
  function clock() {
    let t = 0;
    const slept: number[] = [];
    return { now: () => t, sleep: async (ms: number) => void (slept.push(ms), (t += ms)), slept };
  }

  it('reads until the rollout ends, reporting each change once', async () => {
    const views = [at('Waiting', 'a'), at('Waiting', 'a'), at('Waiting', 'b'), at('Halted', 'x')];
    const c = clock();
    const seen: string[] = [];
    const { view, end } = await waitForRollout(async () => views.shift()!, { timeoutMs: 60_000, timeout: '1m', waitApproval: false, ...c, onChange: (v) => seen.push(v.rollout!.message) });
    expect([view.rollout!.state, end.code, seen, c.slept]).toEqual(['Halted', ROLLOUT_EXIT.halted, ['a', 'b', 'x'], [2000, 2000, 2000]]);
  });

  it('gives up at the timeout with its own code, having read once more at the deadline', async () => {
    const c = clock();
    let reads = 0;
    const { end } = await waitForRollout(async () => (reads++, at('Waiting', 'partition "main": 2 of 2 not Ready')), { timeoutMs: 5000, timeout: '5s', waitApproval: false, ...c });
    expect(end).toEqual({ code: ROLLOUT_EXIT.timeout, reason: 'WaitTimeout', message: 'rollout #3 of "web" is still Waiting after 5s: partition "main": 2 of 2 not Ready' });
    expect([reads, c.slept]).toEqual([4, [2000, 2000, 1000]]);
  });

  it('reads again after a transient failure once it has read the rollout, and throws it at the deadline', async () => {
    const c = clock();
    const down = new Error('cannot reach the hub');
    const reads: Array<() => BundleRollout> = [() => at('Waiting'), () => { throw down; }, () => at('Completed')];
    const retried: unknown[] = [];
    const options = { timeoutMs: 60_000, timeout: '1m', waitApproval: false, ...c, transient: (e: unknown) => e === down, onRetry: (e: unknown) => retried.push(e) };
    expect((await waitForRollout(async () => reads.shift()!(), options)).end).toEqual({ code: 0 });
    expect(retried).toEqual([down]);

    // Not on the first read, not an error that is not transient, not past the deadline.
    let firstReads = 0;
    await expect(waitForRollout(async () => { firstReads++; throw down; }, options)).rejects.toBe(down);
    expect([firstReads, retried.length]).toEqual([1, 1]);
    const refused = new Error('refused');
    const first = [() => at('Waiting'), () => { throw refused; }];
    await expect(waitForRollout(async () => first.shift()!(), options)).rejects.toBe(refused);
    let n = 0;
    await expect(waitForRollout(async () => { if (n++ === 0) return at('Waiting'); throw down; }, { ...options, timeoutMs: 5000, timeout: '5s' })).rejects.toBe(down);
  });

  it('keeps the exit codes apart from cli.ts\'s 0-3', () => {
    expect(new Set([0, 1, 2, 3, ...Object.values(ROLLOUT_EXIT)]).size).toBe(7);
  });
});
