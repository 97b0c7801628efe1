/**
 * Revision content shared by the streams of every cluster (pure: the loader
 * is injected). Revisions are content-addressed and never change, so an entry
 * can never be stale. Bounded by bytes, least recently used evicted first;
 * concurrent misses for one revision share a single load, so 1,000 clusters
 * fetching a new revision at once cost PostgreSQL one read, not 1,000.
 * Revisions larger than `maxItemBytes` are not cached (the handler streams
 * them from PostgreSQL in slices instead).
 */
export class RevisionContentCache {
  private readonly entries = new Map<string, Buffer>();
  private readonly loading = new Map<string, Promise<Buffer>>();
  private bytes = 0;

  /**
   * @param maxBytes total bytes kept (0 disables the cache).
   * @param maxItemBytes largest revision kept; default a quarter of `maxBytes`.
   */
  constructor(
    readonly maxBytes: number,
    readonly maxItemBytes = Math.floor(maxBytes / 4),
  ) {}

  get size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes };
  }

  /** True when a revision of this size would be kept. */
  fits(size: number): boolean {
    return size <= this.maxItemBytes && size <= this.maxBytes;
  }

  async get(revision: string, load: () => Promise<Buffer>): Promise<{ content: Buffer; hit: boolean }> {
    const cached = this.entries.get(revision);
    if (cached) {
      // Re-insert: Map order is the recency order.
      this.entries.delete(revision);
      this.entries.set(revision, cached);
      return { content: cached, hit: true };
    }
    let pending = this.loading.get(revision);
    const hit = pending !== undefined;
    if (!pending) {
      pending = load().finally(() => this.loading.delete(revision));
      this.loading.set(revision, pending);
      void pending.then((content) => this.keep(revision, content), () => undefined);
    }
    return { content: await pending, hit };
  }

  private keep(revision: string, content: Buffer): void {
    if (!this.fits(content.length) || this.entries.has(revision)) return;
    this.entries.set(revision, content);
    this.bytes += content.length;
    for (const [key, value] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(key);
      this.bytes -= value.length;
    }
  }
}
