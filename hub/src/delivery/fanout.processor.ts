import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Job } from 'bullmq';
import { RedisHealth } from '../platform/redis/redis-health.js';
import { DeploymentFanout } from './deployment-fanout.service.js';
import { FANOUT_QUEUE, FanoutQueue, type FanoutJob } from './fanout.queue.js';

// Several fan-outs at once: each locks only its bundle, and the clusters' generation rows last and in id order,
// so they overlap everything but that final write (50 bundles changed at once ran one after another).
@Processor(FANOUT_QUEUE, { concurrency: 4 })
export class FanoutProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(FanoutProcessor.name);

  constructor(
    @Inject(DeploymentFanout) private readonly fanout: DeploymentFanout,
    @Inject(FanoutQueue) private readonly queue: FanoutQueue,
    @Inject(RedisHealth) private readonly redis: RedisHealth,
  ) {
    super();
  }

  /** Redis is a queue, not the source of truth: every start rebuilds from PostgreSQL. */
  async onApplicationBootstrap(): Promise<void> {
    this.redis.trackBullmq('fanout worker', this.worker);
    await this.queue.reconcileAll();
  }

  async process(job: Job): Promise<unknown> {
    const { name, data } = job as unknown as FanoutJob;
    switch (name) {
      case 'bundle':
        return this.fanout.reconcileBundle(data.bundleId);
      case 'cluster':
        return this.fanout.reconcileCluster(data.clusterId);
      case 'all':
        return this.fanout.reconcileAll();
      default:
        this.logger.warn(`unknown fan-out job ${String(name)}`);
        return undefined;
    }
  }
}
