/**
 * A process-local hint that a scheduler may have work: the code that stamps
 * a request in PostgreSQL (an event appended, a BundleSet evaluation asked
 * for) notifies it, and the TickLoops that read that work wake from their
 * idle back-off. Only a hint: PostgreSQL stays the source of truth, so a wake
 * that is missed (the change came from another replica, or the notify ran
 * before its transaction committed) costs at most the loop's idle bound.
 */
export class WakeSignal {
  private readonly listeners = new Set<() => void>();

  notify(): void {
    for (const fn of this.listeners) fn();
  }

  /** Calls `fn` on every notify until the returned function is called. */
  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => void this.listeners.delete(fn);
  }
}

/** The wake signals of this process, one per kind of scheduled work. */
export const wakeSignals = {
  /** A fleet event was appended (the event sequencer, webhook dispatch). */
  fleetEvents: new WakeSignal(),
  /** A BundleSet evaluation was requested (the evaluation scheduler). */
  bundleSetEvaluations: new WakeSignal(),
} as const;
