/** A change worth one log line: the outage began, or it ended after `downMs`. */
export type OutageChange = { kind: 'began' } | { kind: 'ended'; downMs: number };

/** The connections of one replica at one moment. */
export interface ConnectionsState {
  /** Every tracked connection is ready for commands. */
  ready: boolean;
  /** A connection attempt failed since they were last all ready. */
  failing: boolean;
}

/**
 * Turns connection events into at most one "began" and one "ended" per
 * outage, however many connections and reconnect attempts it involves (the
 * issue #9 probe saw 62 error lines for one outage). A connection closed and
 * re-established without a failed attempt is a blip, not an outage; the
 * first start is not a recovery. Pure: the caller passes the state and clock.
 */
export class RedisOutage {
  private everReady = false;
  private since: number | undefined;

  /** True between "began" and "ended". */
  get ongoing(): boolean {
    return this.since !== undefined;
  }

  update(state: ConnectionsState, now: number): OutageChange | undefined {
    if (state.ready) {
      this.everReady = true;
      if (this.since === undefined) return undefined;
      const downMs = now - this.since;
      this.since = undefined;
      return { kind: 'ended', downMs };
    }
    if (!this.everReady || !state.failing || this.since !== undefined) return undefined;
    this.since = now;
    return { kind: 'began' };
  }
}
