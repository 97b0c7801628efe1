import { Backoff } from '../connection/backoff.js';
import type { AgentError } from '../errors.js';

/** What the last reconcile left behind, as far as retrying goes. */
export interface ReconcileOutcome {
  failure: AgentError | undefined;
  objectErrors: ReadonlyMap<string, AgentError>;
}

/**
 * Retries a failed reconcile with backoff (5 s doubling to 5 min, plus a
 * second so that a retry never races the event that caused the failure).
 * Only retryable failures are retried; others wait for a new assignment.
 * The backoff starts over only after a fully clean reconcile, so a
 * deployment that flips between "retryable" and "not" keeps its pace.
 */
export class RetryScheduler {
  private timer: NodeJS.Timeout | undefined;
  private readonly backoff: Backoff;

  /** `random` is the backoff's jitter source (tests pin it). */
  constructor(
    private readonly retry: () => void,
    random?: () => number,
  ) {
    this.backoff = new Backoff({ initialMs: 5_000, maxMs: 300_000, random });
  }

  /** Schedules the next attempt after `outcome`, if it is worth one. */
  after(outcome: ReconcileOutcome): void {
    const retryable = outcome.failure?.retryable || [...outcome.objectErrors.values()].some((e) => e.retryable);
    if (!retryable) {
      if (!outcome.failure && outcome.objectErrors.size === 0) this.backoff.reset();
      return;
    }
    this.timer = setTimeout(this.retry, this.backoff.next() + 1000);
    this.timer.unref();
  }

  cancel(): void {
    clearTimeout(this.timer);
  }
}
