import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Job } from 'bullmq';
import { PrismaService } from '../../database/prisma.service.js';
import { RedisHealth } from '../../platform/redis/redis-health.js';
import { BUNDLESET_QUEUE, type BundleSetJob } from './bundleset-evaluation.queue.js';
import { BundleSetEvaluator } from './bundleset-evaluator.js';
import { clearEvaluationRequest, deferEvaluation, readEvaluationRequest } from './evaluation-marker.js';

/** An input that keeps changing while its BundleSet evaluates is followed by at most this many more runs in one job. */
const MAX_RUNS_PER_JOB = 3;
/** An evaluation that failed unexpectedly (not a generator's or a guard's stop) is retried after this long. */
const RETRY_SECONDS = 10;

/**
 * BundleSet evaluation worker (FLOTILLA_ROLE=render: it reads the git cache
 * and feeds the render queue). A change during a run re-stamps the marker,
 * so the job runs again rather than dropping it.
 */
@Processor(BUNDLESET_QUEUE)
export class BundleSetEvaluationProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(BundleSetEvaluationProcessor.name);

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
      const request = await readEvaluationRequest(this.prisma, id);
      if (request === null) break;
      try {
        outcome = await this.evaluator.evaluate(id, request);
      } catch (error) {
        // Nothing was changed (a run writes in one transaction); the request stays, deferred, and is retried.
        this.logger.error(`BundleSet evaluation failed unexpectedly; retrying in ${RETRY_SECONDS} s: ${(error as Error).message}`, { bundleSetId: id });
        await this.evaluator.recordFailure(id, error as Error);
        await deferEvaluation(this.prisma, id, RETRY_SECONDS);
        return 'failed';
      }
      if (outcome === 'gone' || (await clearEvaluationRequest(this.prisma, id, request.marker))) break;
    }
    return outcome;
  }
}
