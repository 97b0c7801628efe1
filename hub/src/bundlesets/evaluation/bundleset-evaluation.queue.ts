import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { ENQUEUE_TIMEOUT_MS } from '../../delivery/fanout.queue.js';
import { RedisHealth } from '../../platform/redis/redis-health.js';
import { withTimeout } from '../../platform/timeout/with-timeout.js';

export const BUNDLESET_QUEUE = 'bundleset-evaluation';

export interface BundleSetJob {
  bundleSetId: string;
}

/**
 * Producer side of BundleSet evaluations. The job id is the BundleSet's: at
 * most one job per BundleSet waits or runs across every replica. What must
 * run is in PostgreSQL (`evaluation_requested_at`), so a lost job only
 * delays an evaluation until the scheduler queues it again.
 */
@Injectable()
export class BundleSetQueue {
  private readonly logger = new Logger(BundleSetQueue.name);

  constructor(
    @InjectQueue(BUNDLESET_QUEUE) private readonly queue: Queue,
    @Inject(RedisHealth) private readonly redis: RedisHealth,
  ) {
    redis.trackBullmq('bundleset queue', queue);
  }

  /** Resolves true when queued (or already waiting), false when left to the scheduler; never throws. */
  async evaluate(bundleSetId: string): Promise<boolean> {
    if (!this.redis.up) return false;
    try {
      await withTimeout(
        this.queue.add('evaluate', { bundleSetId } satisfies BundleSetJob, { jobId: `evaluate-${bundleSetId}`, removeOnComplete: true, removeOnFail: true }),
        ENQUEUE_TIMEOUT_MS,
        'queueing a BundleSet evaluation',
      );
      return true;
    } catch (error) {
      this.logger.warn('BundleSet evaluation not queued; the scheduler will queue it', { bundleSetId, error: (error as Error).message });
      return false;
    }
  }
}
