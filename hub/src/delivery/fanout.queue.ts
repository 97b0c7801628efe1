import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';

export const FANOUT_QUEUE = 'deployment-fanout';

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
 */
@Injectable()
export class FanoutQueue {
  constructor(@InjectQueue(FANOUT_QUEUE) private readonly queue: Queue) {}

  reconcileBundle(bundleId: string): Promise<unknown> {
    return this.queue.add('bundle', { bundleId }, OPTS);
  }

  reconcileCluster(clusterId: string): Promise<unknown> {
    return this.queue.add('cluster', { clusterId }, OPTS);
  }

  reconcileAll(): Promise<unknown> {
    return this.queue.add('all', {}, OPTS);
  }
}

const OPTS = { removeOnComplete: true, removeOnFail: 1000, attempts: 5, backoff: { type: 'exponential', delay: 500 } } as const;
