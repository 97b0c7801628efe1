import { DomainError } from '../../platform/errors/domain-error.js';

/** Counts one kind of stream per cluster on this replica and refuses more than `limit` at once. */
export class PerClusterLimiter {
  private readonly counts = new Map<string, number>();

  constructor(
    private readonly limit: number,
    private readonly what: string,
  ) {}

  /** Takes a slot; returns its release (safe to call more than once). Throws `TooManyStreams` when none is free. */
  acquire(clusterId: string): () => void {
    const taken = this.counts.get(clusterId) ?? 0;
    if (taken >= this.limit) {
      throw new DomainError(
        'TooManyStreams',
        `this cluster already has ${taken} ${this.what} open on this hub replica (limit ${this.limit}); retry when one ends`,
      );
    }
    this.counts.set(clusterId, taken + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.counts.get(clusterId) ?? 1) - 1;
      if (left > 0) this.counts.set(clusterId, left);
      else this.counts.delete(clusterId);
    };
  }

  /** Slots the cluster holds now. */
  held(clusterId: string): number {
    return this.counts.get(clusterId) ?? 0;
  }
}
