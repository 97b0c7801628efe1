/**
 * Group commit: items submitted while a flush runs wait and go together in
 * the next one. At low load each item is flushed alone and at once (no
 * timer, no added latency); under load the batches grow by themselves, so
 * 1,000 clusters reporting at once cost a few dozen statements, not 1,000.
 * One flush runs at a time; a flush takes at most `maxWeight` (the first item
 * always goes, whatever its weight). A flush that fails with more than one
 * item is tried again item by item, so that one bad item fails only its own
 * caller.
 */
export class GroupCommit<T, R> {
  private queue: { item: T; weight: number; resolve: (r: R) => void; reject: (e: unknown) => void }[] = [];
  private running = false;

  constructor(
    private readonly flush: (items: T[]) => Promise<R[]>,
    private readonly options: { maxWeight: number; weight?: (item: T) => number },
  ) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, weight: this.options.weight?.(item) ?? 1, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length > 0) {
        let weight = 0;
        let n = 0;
        while (n < this.queue.length && (n === 0 || weight + this.queue[n]!.weight <= this.options.maxWeight)) weight += this.queue[n++]!.weight;
        const batch = this.queue.splice(0, n);
        await this.run(batch);
      }
    } finally {
      this.running = false;
    }
  }

  private async run(batch: GroupCommit<T, R>['queue']): Promise<void> {
    try {
      const results = await this.flush(batch.map((b) => b.item));
      batch.forEach((b, i) => b.resolve(results[i]!));
    } catch (error) {
      if (batch.length === 1) return batch[0]!.reject(error);
      for (const b of batch) await this.run([b]);
    }
  }
}
