import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { PrismaService } from '../database/prisma.service.js';
import { RedisHealth } from '../platform/redis/redis-health.js';
import { withTimeout } from '../platform/timeout/with-timeout.js';
import type { Db } from './desired-generation.js';
import { markAllBundles, markFanout } from './fanout-marker.js';

export const FANOUT_QUEUE = 'deployment-fanout';

/** Longest wait for Redis to take a fan-out job (ms) before leaving it to the repair sweep. */
export const ENQUEUE_TIMEOUT_MS = 1500;

export type FanoutJob =
  | { name: 'bundle'; data: { bundleId: string } }
  | { name: 'cluster'; data: { clusterId: string } }
  | { name: 'all'; data: Record<string, never> };

/**
 * Producer side of the fan-out: "this bundle / cluster / everything may need
 * its deployments recomputed". Jobs carry ids only and the worker reads the
 * current state from PostgreSQL, so jobs are idempotent, repeated jobs are
 * harmless, and a flushed Redis is repaired by the `all` job every hub start
 * enqueues. No deduplication: a change arriving while its job runs must not
 * be dropped.
 *
 * Enqueueing never fails the caller, whose change is already committed
 * (issue #9): when Redis is down or does not take the job within
 * ENQUEUE_TIMEOUT_MS, the rows are marked (fan-out markers) and the repair
 * sweep (FanoutRepair) runs the fan-out without Redis.
 */
@Injectable()
export class FanoutQueue {
  private readonly logger = new Logger(FanoutQueue.name);

  constructor(
    @InjectQueue(FANOUT_QUEUE) private readonly queue: Queue,
    @Inject(RedisHealth) private readonly redis: RedisHealth,
    @Inject(PrismaService) private readonly prisma: PrismaService,
  ) {
    redis.trackBullmq('fanout queue', queue);
  }

  /** Resolves true when the job was queued, false when it was left to the repair sweep. */
  reconcileBundle(bundleId: string): Promise<boolean> {
    return this.enqueue({ name: 'bundle', data: { bundleId } }, (db) => markFanout(db, 'bundles', [bundleId]));
  }

  /** Many bundles at once (a BundleSet's run): one round trip per 1,000 jobs; a chunk Redis did not take is marked for the repair sweep. */
  async reconcileBundles(bundleIds: readonly string[]): Promise<void> {
    for (let i = 0; i < bundleIds.length; i += 1000) {
      const chunk = bundleIds.slice(i, i + 1000);
      if (this.redis.up) {
        try {
          await withTimeout(this.queue.addBulk(chunk.map((bundleId) => ({ name: 'bundle', data: { bundleId }, opts: OPTS }))), ENQUEUE_TIMEOUT_MS, 'queueing fan-out jobs');
          continue;
        } catch (error) {
          this.logger.warn('fan-out jobs not queued; the repair sweep will run them', { bundles: chunk.length, error: (error as Error).message });
        }
      }
      await markFanout(this.prisma, 'bundles', chunk).catch((error: unknown) =>
        this.logger.warn('fan-out not marked for repair; the next hub start repairs it', { bundles: chunk.length, error: (error as Error).message }),
      );
    }
  }

  reconcileCluster(clusterId: string): Promise<boolean> {
    return this.enqueue({ name: 'cluster', data: { clusterId } }, (db) => markFanout(db, 'clusters', [clusterId]));
  }

  reconcileAll(): Promise<boolean> {
    return this.enqueue({ name: 'all', data: {} }, markAllBundles);
  }

  private async enqueue(job: FanoutJob, mark: (db: Db) => Promise<void>): Promise<boolean> {
    if (this.redis.up) {
      try {
        await withTimeout(this.queue.add(job.name, job.data, OPTS), ENQUEUE_TIMEOUT_MS, `queueing the fan-out job "${job.name}"`);
        return true;
      } catch (error) {
        this.logger.warn('fan-out job not queued; the repair sweep will run it', { job: job.name, error: (error as Error).message });
      }
    }
    // Stamped after the change's own commit (which usually stamped it already): also covers changes that could not
    // stamp in their transaction (re-registration, cluster groups).
    await mark(this.prisma).catch((error: unknown) =>
      this.logger.warn('fan-out not marked for repair; the next hub start repairs it', { job: job.name, error: (error as Error).message }),
    );
    return false;
  }
}

const OPTS = { removeOnComplete: true, removeOnFail: 1000, attempts: 5, backoff: { type: 'exponential', delay: 500 } } as const;
