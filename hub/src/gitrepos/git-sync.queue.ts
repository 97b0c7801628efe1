import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { ENQUEUE_TIMEOUT_MS } from '../delivery/fanout.queue.js';
import { RedisHealth } from '../platform/redis/redis-health.js';
import { withTimeout } from '../platform/timeout/with-timeout.js';

export const GIT_SYNC_QUEUE = 'git-sync';

export interface GitSyncJob {
  gitRepoId: string;
}

/**
 * Producer side of GitRepo syncs. The job id is the repository's, so there is
 * at most one job per GitRepo waiting or running across every replica. What
 * must happen is in PostgreSQL, not in the job: a sync request sets the
 * GitRepo's `sync_requested_at` marker and polls are due by `next_poll_at`,
 * so a lost job, a restart or a Redis flush only delays a sync until the
 * scheduler (GitPollScheduler) queues it again.
 */
@Injectable()
export class GitSyncQueue {
  private readonly logger = new Logger(GitSyncQueue.name);

  constructor(
    @InjectQueue(GIT_SYNC_QUEUE) private readonly queue: Queue,
    @Inject(RedisHealth) private readonly redis: RedisHealth,
  ) {
    redis.trackBullmq('git sync queue', queue);
  }

  /** Resolves true when queued (or already waiting), false when left to the scheduler; never throws. */
  async sync(gitRepoId: string): Promise<boolean> {
    if (!this.redis.up) return false;
    try {
      await withTimeout(this.queue.add('sync', { gitRepoId } satisfies GitSyncJob, { jobId: `sync-${gitRepoId}`, removeOnComplete: true, removeOnFail: true }), ENQUEUE_TIMEOUT_MS, 'queueing a GitRepo sync');
      return true;
    } catch (error) {
      this.logger.warn('GitRepo sync not queued; the scheduler will queue it', { gitRepoId, error: (error as Error).message });
      return false;
    }
  }
}
