import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, type OnApplicationBootstrap } from '@nestjs/common';
import type { Job } from 'bullmq';
import { RedisHealth } from '../../platform/redis/redis-health.js';
import { ROLLOUT_QUEUE, type RolloutJob } from './rollout.queue.js';
import { RolloutRunner } from './rollout.runner.js';

/** Rollout passes: each locks only its bundle's row, so several bundles roll at once. */
@Processor(ROLLOUT_QUEUE, { concurrency: 4 })
export class RolloutProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(
    @Inject(RolloutRunner) private readonly runner: RolloutRunner,
    @Inject(RedisHealth) private readonly redis: RedisHealth,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.redis.trackBullmq('rollout worker', this.worker);
  }

  async process(job: Job<RolloutJob>): Promise<number> {
    return (await this.runner.run(job.data.bundleId)).length;
  }
}
