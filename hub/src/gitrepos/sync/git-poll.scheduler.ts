import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { PrismaService } from '../../database/prisma.service.js';
import { TickLoop } from '../../platform/schedule/tick-loop.js';
import { GitSyncQueue } from '../git-sync.queue.js';
import { claimDueSyncs } from './sync-marker.js';

/** How often due polls are looked for: the precision of polling intervals. */
const TICK_MS = 1000;
/** The tick while nothing is due (ms); polling intervals are ≥ 5 s, so a poll is at most this late. */
const IDLE_MAX_MS = 2000;
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
  private readonly loop = new TickLoop('GitRepo poll scheduling', TICK_MS, () => this.queueDue(), this.logger, { idleMaxMs: IDLE_MAX_MS });

  constructor(
    @Inject(PrismaService) private readonly prisma: PrismaService,
    @Inject(GitSyncQueue) private readonly queue: GitSyncQueue,
  ) {}

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  onModuleDestroy(): void {
    this.loop.stop();
  }

  tick(): Promise<number> {
    return this.loop.run();
  }

  private async queueDue(): Promise<number> {
    const due = await claimDueSyncs(this.prisma, STALE_REQUEST_SECONDS, BATCH);
    for (const id of due) await this.queue.sync(id);
    return due.length;
  }
}
