import { afterEach, describe, expect, it, vi } from 'vitest';
import { TickLoop } from './tick-loop.js';
import { WakeSignal } from './wake-signal.js';

describe('TickLoop', () => {
  it('never runs two ticks at once, and logs a failed tick instead of throwing', async () => {
    const warnings: string[] = [];
    let release!: () => void;
    let calls = 0;
    const loop = new TickLoop('test scheduling', 1000, async () => {
      calls++;
      if (calls === 1) await new Promise<void>((r) => (release = r));
      if (calls === 2) throw new Error('database gone');
      return 7;
    }, { warn: (m: string) => void warnings.push(m) });
    const first = loop.run();
    expect(await loop.run()).toBe(0); // overlaps the first: skipped
    release();
    expect(await first).toBe(7);
    expect(await loop.run()).toBe(0);
    expect(warnings).toEqual(['test scheduling failed: database gone']);
    expect(await loop.run()).toBe(7);
    expect(calls).toBe(3);
  });

  describe('idle back-off', () => {
    afterEach(() => void vi.useRealTimers());

    /** Starts a loop whose ticks return what `work` holds, and records when (fake ms) each tick ran. */
    function loopWith(work: { n: number }, signal?: WakeSignal) {
      vi.useFakeTimers();
      const at: number[] = [];
      const loop = new TickLoop('test', 100, async () => {
        at.push(Date.now());
        return work.n;
      }, { warn: () => undefined }, { idleMaxMs: 800, wakeOn: signal ? [signal] : [] });
      loop.start();
      return { loop, at, start: Date.now() };
    }

    it('doubles the wait after each tick that found nothing, up to idleMaxMs, and returns to the period after one that did', async () => {
      const work = { n: 0 };
      const { loop, at, start } = loopWith(work);
      await vi.advanceTimersByTimeAsync(100 + 200 + 400 + 800 + 800);
      expect(at.map((t) => t - start)).toEqual([100, 300, 700, 1500, 2300]);
      work.n = 3;
      await vi.advanceTimersByTimeAsync(800 + 100 + 100);
      expect(at.map((t) => t - start).slice(5)).toEqual([3100, 3200, 3300]);
      loop.stop();
      await vi.advanceTimersByTimeAsync(5000);
      expect(at).toHaveLength(8);
    });

    it('a wake ends the back-off: the next tick runs within one period', async () => {
      const signal = new WakeSignal();
      const { loop, at, start } = loopWith({ n: 0 }, signal);
      await vi.advanceTimersByTimeAsync(1500); // ticks at 100, 300, 700, 1500; the next is due at 2300
      expect(at).toHaveLength(4);
      await vi.advanceTimersByTimeAsync(50);
      signal.notify();
      await vi.advanceTimersByTimeAsync(100);
      expect(at.map((t) => t - start)).toEqual([100, 300, 700, 1500, 1650]);
      await vi.advanceTimersByTimeAsync(200); // and backs off again from the period
      expect(at.map((t) => t - start).slice(5)).toEqual([1850]);
      loop.stop();
      signal.notify(); // a stopped loop no longer listens
      await vi.advanceTimersByTimeAsync(5000);
      expect(at).toHaveLength(6);
    });
  });
});
