/** First wait between two corrections of one object in a streak. */
export const CORRECTION_BASE_MS = 5_000;
/** Longest wait between two corrections of one object. */
export const CORRECTION_MAX_MS = 300_000;
/** A correction this long after the previous one starts a new streak. */
export const CORRECTION_STREAK_RESET_MS = 600_000;

interface Streak {
  /** Corrections in this streak. */
  count: number;
  first: number;
  last: number;
}

export type CorrectionGate = { allowed: true } | { allowed: false; waitMs: number; count: number; since: number };

/**
 * Rate-limits drift corrections per object, so that the agent and another
 * actor undoing each other's change (a controller, an operator's script)
 * do not loop as fast as the API server answers — Argo CD's self-heal backoff,
 * in spirit. A lone edit is corrected at once; when drift comes back, each
 * further correction waits twice as long as the one before (5 s, 10 s, 20 s, …
 * up to 5 minutes), until the object has stayed as applied for 10 minutes.
 * Pure: the caller passes the time.
 */
export class CorrectionThrottle {
  private readonly streaks = new Map<string, Streak>();

  /** Whether `key` may be corrected at `now`, or how long to wait. */
  gate(key: string, now: number): CorrectionGate {
    const streak = this.current(key, now);
    if (!streak) return { allowed: true };
    const gap = Math.min(CORRECTION_BASE_MS * 2 ** (streak.count - 1), CORRECTION_MAX_MS);
    const waitMs = streak.last + gap - now;
    return waitMs <= 0 ? { allowed: true } : { allowed: false, waitMs, count: streak.count, since: streak.first };
  }

  /** Records a correction of `key` at `now`. */
  corrected(key: string, now: number): void {
    const streak = this.current(key, now);
    this.streaks.set(key, streak ? { ...streak, count: streak.count + 1, last: now } : { count: 1, first: now, last: now });
  }

  /** Drops the streaks of objects not in `keys` (they left the deployment), so the map stays as big as the deployment. */
  retain(keys: ReadonlySet<string>): void {
    for (const key of this.streaks.keys()) if (!keys.has(key)) this.streaks.delete(key);
  }

  /** Objects with a streak on record. */
  get size(): number {
    return this.streaks.size;
  }

  private current(key: string, now: number): Streak | undefined {
    const streak = this.streaks.get(key);
    if (streak && now - streak.last >= CORRECTION_STREAK_RESET_MS) {
      this.streaks.delete(key);
      return undefined;
    }
    return streak;
  }
}
