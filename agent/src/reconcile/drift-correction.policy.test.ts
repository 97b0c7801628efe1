import { describe, expect, it } from 'vitest';
import type { DriftResult } from '../drift/index.js';
import { CORRECTION_STREAK_RESET_MS } from './correction-throttle.js';
import { DriftCorrectionPolicy } from './drift-correction.policy.js';

const drifted: DriftResult = { drifted: true, diffs: [{ path: '/data/a', desired: '"1"', live: '"2"' }] };
const clean: DriftResult = { drifted: false, diffs: [] };

describe('DriftCorrectionPolicy', () => {
  it('leaves objects that did not drift, or whose deployment does not correct drift', () => {
    const p = new DriftCorrectionPolicy();
    expect(p.decide('cm', clean, true, 0)).toEqual({ action: 'leave' });
    expect(p.decide('cm', undefined, true, 0)).toEqual({ action: 'leave' });
    expect(p.decide('cm', drifted, false, 0)).toEqual({ action: 'leave' });
  });

  it('corrects a lone drift at once and postpones drift that comes right back, saying why', () => {
    const p = new DriftCorrectionPolicy();
    expect(p.decide('cm', drifted, true, 0)).toEqual({ action: 'correct' });
    p.corrected('cm', 0);
    expect(p.decide('cm', drifted, true, 1_000)).toEqual({
      action: 'postpone',
      waitMs: 4_000,
      message:
        'drift keeps coming back (/data/a): corrected 1 time(s) since 1970-01-01T00:00:00.000Z; another actor is likely changing it; next correction in 4 s',
    });
    expect(p.decide('cm', drifted, true, 5_000)).toEqual({ action: 'correct' });
  });

  it('forgets objects that left the deployment, so memory does not grow with churn', () => {
    const p = new DriftCorrectionPolicy();
    // Objects come and go (renamed every revision): only the current ones are remembered.
    for (let revision = 0; revision < 100; revision++) {
      const keys = [`cm-${revision}`, 'stable'];
      for (const key of keys) p.corrected(key, revision);
      p.retain(new Set(keys));
      expect(p.tracked).toBeLessThanOrEqual(2);
    }
    expect(p.decide('stable', drifted, true, 100)).toMatchObject({ action: 'postpone' });
    p.retain(new Set());
    expect(p.tracked).toBe(0);
    expect(p.decide('stable', drifted, true, 100)).toEqual({ action: 'correct' });
  });

  it('starts over once an object stayed as applied long enough', () => {
    const p = new DriftCorrectionPolicy();
    p.corrected('cm', 0);
    expect(p.decide('cm', drifted, true, CORRECTION_STREAK_RESET_MS)).toEqual({ action: 'correct' });
  });
});
