/**
 * Runs jobs one at a time, in the order they were queued, so that the work
 * of one deployment (apply, checks, corrections) never overlaps. A failing
 * job is handed to `onError` and does not stop the jobs after it.
 */
export class SerialQueue {
  private tail: Promise<void> = Promise.resolve();
  /** Keys of coalesced jobs that are queued but have not started yet. */
  private readonly waiting = new Set<string>();

  constructor(private readonly onError: (error: unknown) => void) {}

  /** Queues `job`; the promise settles (never rejects) once it ran. */
  enqueue(job: () => Promise<void>): Promise<void> {
    const run = this.tail.then(job).catch(this.onError);
    this.tail = run;
    return run;
  }

  /**
   * Queues `job` unless a job with the same key is still waiting to start:
   * ten "reconcile" requests while one runs lead to one more run, not ten.
   * The key is released when the job starts, so a request made during a run
   * is not lost (the run may have read its inputs already).
   */
  coalesce(key: string, job: () => Promise<void>): void {
    if (this.waiting.has(key)) return;
    this.waiting.add(key);
    void this.enqueue(() => {
      this.waiting.delete(key);
      return job();
    });
  }
}
