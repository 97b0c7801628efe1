import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { PrismaService } from '../../database/prisma.service.js';
import { GitSyncQueue } from '../git-sync.queue.js';
import { claimDueSyncs } from './sync-marker.js';

/** How often due polls are looked for: the precision of polling intervals. */
const TICK_MS = 1000;
/** A sync request older than this without its sync having cleared it is queued again (its job was lost). */
const STALE_REQUEST_SECONDS = 10;
/** Most GitRepos queued per tick. */
const BATCH = 200;

/**
 * Queues the GitRepo syncs that are due, from PostgreSQL: polls by
 * `next_poll_at`, and requests (`sync_requested_at`) whose job was lost.
 * Every render process runs it; `FOR UPDATE SKIP LOCKED` gives each due
 * GitRepo to one of them, and the queue's job id keeps one job per GitRepo.
 * A restart or a Redis flush loses nothing: the schedule is in the table.
 */
@Injectable()
export class GitPollScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(GitPollScheduler.name);
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(
    @Inject(PrismaService) private readonly prisma: PrismaService,
    @Inject(GitSyncQueue) private readonly queue: GitSyncQueue,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), TICK_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  async tick(): Promise<number> {
    if (this.running) return 0;
    this.running = true;
    try {
      const due = await claimDueSyncs(this.prisma, STALE_REQUEST_SECONDS, BATCH);
      for (const id of due) await this.queue.sync(id);
      return due.length;
    } catch (error) {
      this.logger.warn(`GitRepo poll scheduling failed: ${(error as Error).message}`);
      return 0;
    } finally {
      this.running = false;
    }
  }
}
