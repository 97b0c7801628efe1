import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { PrismaService } from '../../database/prisma.service.js';
import { GroupCommit } from '../../platform/batching/group-commit.js';
import { RedisHealth } from '../../platform/redis/redis-health.js';
import { withTimeout } from '../../platform/timeout/with-timeout.js';
import { ENQUEUE_TIMEOUT_MS } from '../fanout.queue.js';
import { requestRollouts, requestRolloutsAfterReport } from './rollout-marker.js';

export const ROLLOUT_QUEUE = 'rollout';

/** Requests of one bundle within this window share a leading and a trailing job. */
export const ROLLOUT_DEBOUNCE_MS = 100;

export interface RolloutJob {
  bundleId: string;
}

/**
 * Producer side of rollout passes. Each request is first stamped in
 * PostgreSQL (`rollout_requested_at`, see rollout-marker.ts), then queued as
 * a debounce with both edges per bundle and ROLLOUT_DEBOUNCE_MS window: the
 * first request of a window runs at once (the Ready that lets the next
 * partition go is acted on in milliseconds), and one trailing job at the end
 * of the window covers every request after it (job ids per bundle, window
 * and edge: BullMQ keeps one of each). 1,000 clusters reporting at once
 * cost a few passes, not 1,000, and a pass always reads a state at least as
 * new as the requests it covers. A job Redis does not take is left to the
 * rollout scheduler, which runs stale requests itself.
 */
@Injectable()
export class RolloutQueue {
  private readonly logger = new Logger(RolloutQueue.name);

  constructor(
    @InjectQueue(ROLLOUT_QUEUE) private readonly queue: Queue,
    @Inject(RedisHealth) private readonly redis: RedisHealth,
    @Inject(PrismaService) private readonly prisma: PrismaService,
  ) {
    redis.trackBullmq('rollout queue', queue);
  }

  /** A promote, resume or pause: plan these bundles' rollouts again. */
  async request(bundleIds: readonly string[]): Promise<void> {
    await requestRollouts(this.prisma, bundleIds);
    await this.enqueue(bundleIds);
  }

  /** Clusters that reported while the previous request ran go together in the next (one statement for many). */
  private readonly reported = new GroupCommit((clusterIds: string[]) => this.requestAfterReports(clusterIds), { maxWeight: 1000 });

  /** A cluster reported: its bundles with something staged and not deployed are planned again. Never throws. */
  afterReport(clusterId: string): Promise<void> {
    return this.reported.submit(clusterId);
  }

  private async requestAfterReports(clusterIds: string[]): Promise<void[]> {
    const unique = [...new Set(clusterIds)];
    try {
      await this.enqueue(await requestRolloutsAfterReport(this.prisma, unique));
    } catch (error) {
      this.logger.warn('rollout request after a report failed; the rollout scheduler re-checks unfinished rollouts', {
        clusters: unique.length,
        error: (error as Error).message,
      });
    }
    return clusterIds.map(() => undefined);
  }

  private async enqueue(bundleIds: readonly string[]): Promise<void> {
    if (bundleIds.length === 0 || !this.redis.up) return;
    const now = Date.now();
    const window = Math.floor(now / ROLLOUT_DEBOUNCE_MS);
    const delay = (window + 1) * ROLLOUT_DEBOUNCE_MS - now;
    const jobs = bundleIds.flatMap((bundleId) => [
      { name: 'run', data: { bundleId } satisfies RolloutJob, opts: { ...OPTS, jobId: `${bundleId}-${window}-lead` } },
      { name: 'run', data: { bundleId } satisfies RolloutJob, opts: { ...OPTS, jobId: `${bundleId}-${window}-trail`, delay } },
    ]);
    try {
      await withTimeout(this.queue.addBulk(jobs), ENQUEUE_TIMEOUT_MS, 'queueing rollout jobs');
    } catch (error) {
      this.logger.warn('rollout jobs not queued; the rollout scheduler will run them', { bundles: bundleIds.length, error: (error as Error).message });
    }
  }
}

// Completed jobs are kept a few seconds so that their ids still deduplicate the requests of their window.
const OPTS = { removeOnComplete: { age: 5 }, removeOnFail: 1000, attempts: 5, backoff: { type: 'exponential', delay: 500 } } as const;
