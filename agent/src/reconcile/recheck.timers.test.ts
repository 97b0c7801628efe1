import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RecheckTimers } from './recheck.timers.js';

describe('RecheckTimers', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('runs once per key however often it is asked while pending, and again once it ran', () => {
    const timers = new RecheckTimers();
    const run = vi.fn();
    timers.schedule('cm', 1_000, run);
    timers.schedule('cm', 10, run);
    timers.schedule('other', 1_000, run);
    vi.advanceTimersByTime(999);
    expect(run).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(run).toHaveBeenCalledTimes(2);
    timers.schedule('cm', 10, run);
    vi.advanceTimersByTime(10);
    expect(run).toHaveBeenCalledTimes(3);
  });

  it('cancelAll drops pending timers', () => {
    const timers = new RecheckTimers();
    const run = vi.fn();
    timers.schedule('cm', 1_000, run);
    timers.cancelAll();
    vi.advanceTimersByTime(5_000);
    expect(run).not.toHaveBeenCalled();
  });
});
