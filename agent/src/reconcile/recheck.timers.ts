/**
 * One pending timer per key: re-checks of objects whose drift correction was
 * postponed. Asking again for a key that is already pending does nothing, so
 * every watch event on a contested object does not add another timer.
 */
export class RecheckTimers {
  private readonly pending = new Map<string, NodeJS.Timeout>();

  /** Runs `run` after `delayMs`, unless `key` is already pending. */
  schedule(key: string, delayMs: number, run: () => void): void {
    if (this.pending.has(key)) return;
    const timer = setTimeout(() => {
      this.pending.delete(key);
      run();
    }, delayMs);
    // A postponed check must not keep the process alive on shutdown.
    timer.unref();
    this.pending.set(key, timer);
  }

  cancelAll(): void {
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
  }
}
