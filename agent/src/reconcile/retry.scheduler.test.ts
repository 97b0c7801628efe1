import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AgentError } from '../errors.js';
import { RetryScheduler } from './retry.scheduler.js';

const retryable = new AgentError('ApplyFailed', 'timeout', { retryable: true });
const permanent = new AgentError('PlanFailed', 'schema error');
const none = new Map<string, AgentError>();

describe('RetryScheduler', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  /** Jitter pinned to the top of the range: delays are the backoff ceilings. */
  const scheduler = (retry: () => void) => new RetryScheduler(retry, () => 0.999_999);

  it('retries a retryable failure after a doubling delay plus a second', () => {
    const retry = vi.fn();
    const s = scheduler(retry);
    s.after({ failure: retryable, objectErrors: none });
    vi.advanceTimersByTime(5_998);
    expect(retry).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(retry).toHaveBeenCalledTimes(1);
    s.after({ failure: retryable, objectErrors: none });
    vi.advanceTimersByTime(10_998);
    expect(retry).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1);
    expect(retry).toHaveBeenCalledTimes(2);
  });

  it('retries when only one object failed retryably', () => {
    const retry = vi.fn();
    scheduler(retry).after({ failure: undefined, objectErrors: new Map([['cm', retryable]]) });
    vi.advanceTimersByTime(6_000);
    expect(retry).toHaveBeenCalledTimes(1);
  });

  it('does not retry a permanent failure, and keeps the backoff until a clean reconcile', () => {
    const retry = vi.fn();
    const s = scheduler(retry);
    s.after({ failure: retryable, objectErrors: none });
    vi.advanceTimersByTime(6_000);
    s.after({ failure: permanent, objectErrors: none });
    vi.advanceTimersByTime(600_000);
    expect(retry).toHaveBeenCalledTimes(1);
    // Not reset by the permanent failure: the next delay is the second step.
    s.after({ failure: retryable, objectErrors: none });
    vi.advanceTimersByTime(6_000);
    expect(retry).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(5_000);
    expect(retry).toHaveBeenCalledTimes(2);
    // A clean reconcile starts over at 5 s.
    s.after({ failure: undefined, objectErrors: none });
    s.after({ failure: retryable, objectErrors: none });
    vi.advanceTimersByTime(6_000);
    expect(retry).toHaveBeenCalledTimes(3);
  });

  it('cancel stops a scheduled retry', () => {
    const retry = vi.fn();
    const s = scheduler(retry);
    s.after({ failure: retryable, objectErrors: none });
    s.cancel();
    vi.advanceTimersByTime(600_000);
    expect(retry).not.toHaveBeenCalled();
  });
});
