import { describe, expect, it } from 'vitest';
import { CORRECTION_MAX_MS, CORRECTION_STREAK_RESET_MS, CorrectionThrottle } from './correction-throttle.js';

describe('CorrectionThrottle', () => {
  it('lets a lone correction through at once', () => {
    const t = new CorrectionThrottle();
    expect(t.gate('cm', 1_000)).toEqual({ allowed: true });
  });

  it('doubles the wait for each correction in a streak, up to 5 minutes', () => {
    const t = new CorrectionThrottle();
    let now = 0;
    t.corrected('cm', now);
    expect(t.gate('cm', now + 1_000)).toEqual({ allowed: false, waitMs: 4_000, count: 1, since: 0 });
    const waits: number[] = [];
    for (let i = 0; i < 9; i++) {
      const gate = t.gate('cm', now);
      const wait = gate.allowed ? 0 : gate.waitMs;
      waits.push(wait);
      now += wait;
      expect(t.gate('cm', now)).toEqual({ allowed: true });
      t.corrected('cm', now);
    }
    expect(waits).toEqual([5_000, 10_000, 20_000, 40_000, 80_000, 160_000, CORRECTION_MAX_MS, CORRECTION_MAX_MS, CORRECTION_MAX_MS]);
  });

  it('keeps objects apart, and starts over once an object stayed as applied long enough', () => {
    const t = new CorrectionThrottle();
    t.corrected('a', 0);
    t.corrected('a', 5_000);
    expect(t.gate('b', 5_001)).toEqual({ allowed: true });
    expect(t.gate('a', 5_001)).toMatchObject({ allowed: false, count: 2, since: 0 });
    expect(t.gate('a', 5_000 + CORRECTION_STREAK_RESET_MS)).toEqual({ allowed: true });
    t.corrected('a', 5_000 + CORRECTION_STREAK_RESET_MS);
    expect(t.gate('a', 5_001 + CORRECTION_STREAK_RESET_MS)).toMatchObject({ allowed: false, count: 1 });
    t.retain(new Set(['b']));
    expect(t.gate('a', 5_002 + CORRECTION_STREAK_RESET_MS)).toEqual({ allowed: true });
  });
});
