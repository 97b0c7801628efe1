import type { DesiredStateSnapshot } from './desired-state.js';

/** Something that takes a freshly read desired state: a Watch stream. */
export interface SnapshotTarget {
  readonly clusterId: string;
  deliver(snapshot: DesiredStateSnapshot): void;
}

export type ReadSnapshots = (clusterIds: string[]) => Promise<Map<string, DesiredStateSnapshot>>;

/**
 * Reads desired states for many streams at once, one batch at a time.
 *
 * A fan-out changes 1,000 clusters in one transaction and wakes them with one
 * event; reading each cluster's state separately cost three queries per
 * stream per event (150,000 queries for 50 bundles × 1,000 clusters). Here
 * every stream asking while a batch is being read joins the next batch, read
 * with three queries in all. Batches never overlap, so each read starts
 * after the previous one finished: a stream is always handed a state at
 * least as new as the last one, and the stream's generation check then
 * keeps an older state from ever following a newer one.
 *
 * A stream is read again at most every `minIntervalMs`: the first change
 * after a quiet moment is read at once, changes that follow it within the
 * interval wait for its end and go in one state. 50 bundles changed at once
 * complete their fan-outs one after another; without the interval each
 * cluster got a state per completed fan-out (41 states of 50 deployments per
 * cluster in bench/fanout), each fetched and reported by the agent.
 */
export class DesiredStateBatcher {
  private readonly pending = new Map<SnapshotTarget, { resolve: () => void; reject: (e: unknown) => void }[]>();
  /** When each stream was last read (a stream that closed is forgotten with it). */
  private readonly lastRead = new WeakMap<SnapshotTarget, number>();
  private running = false;
  /** Ends the loop's wait for a due stream early (a stream not read lately asked). */
  private wake: (() => void) | undefined;

  private readonly maxClusters: number;
  private readonly minIntervalMs: number;

  /**
   * @param read loads the snapshots of the given clusters (clusters that no longer exist are left out).
   * @param options.maxClusters clusters per read (default 500).
   * @param options.minIntervalMs least time between two reads for one stream (default 0: none).
   */
  constructor(
    private readonly read: ReadSnapshots,
    options: { maxClusters?: number; minIntervalMs?: number } = {},
  ) {
    this.maxClusters = options.maxClusters ?? 500;
    this.minIntervalMs = options.minIntervalMs ?? 0;
  }

  /** Resolves once `target` was handed a state read after this call (or the cluster was found gone). */
  request(target: SnapshotTarget): Promise<void> {
    return new Promise((resolve, reject) => {
      const waiters = this.pending.get(target);
      if (waiters) waiters.push({ resolve, reject });
      else this.pending.set(target, [{ resolve, reject }]);
      if (!this.running) void this.loop();
      else this.wake?.();
    });
  }

  private async loop(): Promise<void> {
    this.running = true;
    try {
      while (this.pending.size > 0) {
        const batch = this.take();
        if (batch.length === 0) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, this.untilNextDue());
            this.wake = () => (clearTimeout(timer), resolve());
          });
          this.wake = undefined;
          continue;
        }
        const now = Date.now();
        for (const [target] of batch) this.lastRead.set(target, now);
        try {
          const snapshots = await this.read([...new Set(batch.map(([t]) => t.clusterId))]);
          for (const [target, waiters] of batch) {
            const snapshot = snapshots.get(target.clusterId);
            if (snapshot) target.deliver(snapshot);
            for (const w of waiters) w.resolve();
          }
        } catch (error) {
          for (const [, waiters] of batch) for (const w of waiters) w.reject(error);
        }
      }
    } finally {
      this.running = false;
    }
  }

  /** Up to `maxClusters` clusters' worth of waiting targets that are due (read longer than the interval ago), removed from the queue. */
  private take(): [SnapshotTarget, { resolve: () => void; reject: (e: unknown) => void }[]][] {
    const batch: [SnapshotTarget, { resolve: () => void; reject: (e: unknown) => void }[]][] = [];
    const clusters = new Set<string>();
    const now = Date.now();
    for (const entry of this.pending) {
      if (now - (this.lastRead.get(entry[0]) ?? -Infinity) < this.minIntervalMs) continue;
      if (!clusters.has(entry[0].clusterId) && clusters.size >= this.maxClusters) break;
      clusters.add(entry[0].clusterId);
      batch.push(entry);
    }
    for (const [target] of batch) this.pending.delete(target);
    return batch;
  }

  /** Milliseconds until the first waiting target is due. */
  private untilNextDue(): number {
    const now = Date.now();
    let wait = this.minIntervalMs;
    for (const target of this.pending.keys()) wait = Math.min(wait, (this.lastRead.get(target) ?? -Infinity) + this.minIntervalMs - now);
    return Math.max(1, wait);
  }
}
