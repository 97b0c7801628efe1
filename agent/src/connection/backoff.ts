/** Options of {@link Backoff}. */
export interface BackoffOptions {
  /** First delay ceiling in ms. Default 500. */
  initialMs?: number;
  /** Largest delay ceiling in ms. Default 60 000. */
  maxMs?: number;
  /** Source of randomness in [0, 1). Default Math.random. */
  random?: () => number;
}

/**
 * Exponential backoff with full jitter (AWS architecture blog, "Exponential
 * Backoff And Jitter"): the n-th delay is uniform in [0, min(max, initial·2ⁿ)).
 * Full jitter spreads a fleet of agents that lost the hub at the same moment,
 * so a restarted hub is not hit by all of them at once.
 */
export class Backoff {
  private attempt = 0;
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly random: () => number;

  constructor(options: BackoffOptions = {}) {
    this.initialMs = options.initialMs ?? 500;
    this.maxMs = options.maxMs ?? 60_000;
    this.random = options.random ?? Math.random;
  }

  /** The ceiling of the next delay (before jitter). */
  ceiling(): number {
    return Math.min(this.maxMs, this.initialMs * 2 ** Math.min(this.attempt, 30));
  }

  /** The next delay in ms; each call raises the ceiling until `maxMs`. */
  next(): number {
    const delay = Math.floor(this.random() * this.ceiling());
    this.attempt++;
    return delay;
  }

  /** Back to the first delay (after a connection was healthy). */
  reset(): void {
    this.attempt = 0;
  }
}
