import { describe, expect, it } from 'vitest';
import { durationMs, windowProblem, windowState } from './delivery-window.js';

describe('delivery windows', () => {
  const nightly = { schedule: '0 22 * * *', duration: '2h' };

  it('is open from each start for its duration, and says when the next opens', () => {
    expect(windowState([nightly], new Date('2026-12-03T22:00:00Z'))).toEqual({ open: true });
    expect(windowState([nightly], new Date('2026-12-03T23:59:59Z'))).toEqual({ open: true });
    expect(windowState([nightly], new Date('2026-12-04T00:00:00Z'))).toEqual({ open: false, nextOpen: new Date('2026-12-04T22:00:00Z') });
    expect(windowState([nightly], new Date('2026-12-03T12:00:00Z'))).toEqual({ open: false, nextOpen: new Date('2026-12-03T22:00:00Z') });
  });

  it('reads the schedule in its time zone, and any open window opens delivery', () => {
    const berlin = { schedule: '0 9 * * 1-5', duration: '8h', location: 'Europe/Berlin' };
    // 09:00 in Berlin is 08:00 UTC in winter.
    expect(windowState([berlin], new Date('2026-12-03T08:30:00Z')).open).toBe(true);
    expect(windowState([berlin], new Date('2026-12-03T07:30:00Z'))).toEqual({ open: false, nextOpen: new Date('2026-12-03T08:00:00Z') });
    expect(windowState([berlin, nightly], new Date('2026-12-03T22:30:00Z')).open).toBe(true);
    expect(windowState([], new Date()).open).toBe(true);
  });

  it('refuses malformed windows naming the field', () => {
    expect(windowProblem(nightly)).toBeUndefined();
    expect(windowProblem({ ...nightly, duration: 'two hours' })).toMatchObject({ field: 'duration' });
    expect(windowProblem({ ...nightly, duration: '0m' })).toMatchObject({ field: 'duration' });
    expect(windowProblem({ ...nightly, schedule: '61 * * * *' })).toMatchObject({ field: 'schedule' });
    expect(windowProblem({ ...nightly, location: 'Mars/Olympus' })).toMatchObject({ field: 'location', message: expect.stringContaining('IANA') });
    expect([durationMs('1h30m'), durationMs('90s'), durationMs('')]).toEqual([5_400_000, 90_000, undefined]);
  });
});
