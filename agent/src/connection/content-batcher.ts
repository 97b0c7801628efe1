import { status } from '@grpc/grpc-js';
import { MAX_CONTENTS_PER_CALL } from '@flotilla/proto';

/** Most revisions in one GetBundleContents call (the hub's bound). */
export const MAX_BATCH = MAX_CONTENTS_PER_CALL;
/** How long a fetch waits for others to join its call. */
export const BATCH_WINDOW_MS = 5;

export interface ContentBatcherDeps {
  fetchOne: (revision: string) => Promise<Buffer>;
  fetchMany: (revisions: string[]) => Promise<Map<string, Buffer>>;
  windowMs?: number;
  maxBatch?: number;
}

interface Waiter {
  resolve: (content: Buffer) => void;
  reject: (error: unknown) => void;
}

/**
 * Joins the content fetches of deployments that change together (a desired
 * state moving 50 bundles starts 50 fetches within a few milliseconds) into
 * one GetBundleContents call per window: one call, one authentication and
 * one HTTP/2 stream instead of fifty, on the agent and on the hub.
 *
 * A failed batch does not fail its revisions: each is fetched alone, so one
 * revision that stopped being assigned (a newer desired state raced the
 * fetch) does not hold back the others. A hub that predates
 * GetBundleContents (UNIMPLEMENTED) is asked one revision at a time from then on.
 */
export class ContentBatcher {
  private readonly windowMs: number;
  private readonly maxBatch: number;
  private pending = new Map<string, Waiter[]>();
  private timer: NodeJS.Timeout | undefined;
  private batching = true;

  constructor(private readonly deps: ContentBatcherDeps) {
    this.windowMs = deps.windowMs ?? BATCH_WINDOW_MS;
    this.maxBatch = deps.maxBatch ?? MAX_BATCH;
  }

  fetch(revision: string): Promise<Buffer> {
    if (!this.batching) return this.deps.fetchOne(revision);
    return new Promise<Buffer>((resolve, reject) => {
      const waiters = this.pending.get(revision);
      if (waiters) return waiters.push({ resolve, reject });
      this.pending.set(revision, [{ resolve, reject }]);
      if (this.pending.size >= this.maxBatch) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.windowMs);
    });
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = new Map();
    if (batch.size > 0) void this.run(batch);
  }

  private async run(batch: Map<string, Waiter[]>): Promise<void> {
    const revisions = [...batch.keys()];
    if (revisions.length > 1 && this.batching) {
      try {
        const contents = await this.deps.fetchMany(revisions);
        // The assembler has checked that every revision asked for arrived.
        for (const [revision, waiters] of batch) for (const w of waiters) w.resolve(contents.get(revision)!);
        return;
      } catch (error) {
        if ((error as { code?: number }).code === status.UNIMPLEMENTED) this.batching = false;
      }
    }
    await Promise.all(
      [...batch].map(async ([revision, waiters]) => {
        try {
          const content = await this.deps.fetchOne(revision);
          for (const w of waiters) w.resolve(content);
        } catch (error) {
          for (const w of waiters) w.reject(error);
        }
      }),
    );
  }
}
