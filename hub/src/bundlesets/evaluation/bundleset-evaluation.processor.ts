import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, type OnApplicationBootstrap } from '@nestjs/common';
import type { Job } from 'bullmq';
import { PrismaService } from '../../database/prisma.service.js';
import { RedisHealth } from '../../platform/redis/redis-health.js';
import { BUNDLESET_QUEUE, type BundleSetJob } from './bundleset-evaluation.queue.js';
import { BundleSetEvaluator } from './bundleset-evaluator.js';
import { clearEvaluationMarker, readEvaluationMarker } from './evaluation-marker.js';

/** An input that keeps changing while its BundleSet evaluates is followed by at most this many more runs in one job. */
const MAX_RUNS_PER_JOB = 3;

/**
 * BundleSet evaluation worker (FLOTILLA_ROLE=render: it reads the git cache
 * and feeds the render queue). A change during a run re-stamps the marker,
 * so the job runs again rather than dropping it.
 */
@Processor(BUNDLESET_QUEUE)
export class BundleSetEvaluationProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(
    @Inject(BundleSetEvaluator) private readonly evaluator: BundleSetEvaluator,
    @Inject(PrismaService) private readonly prisma: PrismaService,
    @Inject(RedisHealth) private readonly redis: RedisHealth,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.redis.trackBullmq('bundleset worker', this.worker);
  }

  async process(job: Job<BundleSetJob>): Promise<string> {
    const id = job.data.bundleSetId;
    let outcome = 'none';
    for (let run = 0; run < MAX_RUNS_PER_JOB; run++) {
      const marker = await readEvaluationMarker(this.prisma, id);
      if (marker === null) break;
      outcome = await this.evaluator.evaluate(id);
      if (outcome === 'gone' || (await clearEvaluationMarker(this.prisma, id, marker))) break;
    }
    return outcome;
  }
}
