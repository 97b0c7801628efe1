import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { PrismaService } from '../../database/prisma.service.js';
import { BundleSetQueue } from './bundleset-evaluation.queue.js';
import { requestedEvaluations } from './evaluation-marker.js';

/** How often stamped BundleSets are looked for (one indexed query; nothing else while no input changes): the latency a cluster joining adds. */
const TICK_MS = 250;
const BATCH = 200;

/**
 * Queues the evaluations that inputs asked for (`evaluation_requested_at`,
 * stamped in the transaction of the change: a cluster registering or
 * relabelled, a GitRepo commit, an edit), every 250 ms. The queue's job id keeps one job
 * per BundleSet, so ticking while one runs queues nothing more; a restart or
 * a Redis flush loses nothing, the requests are in the table.
 */
@Injectable()
export class BundleSetEvaluationScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(BundleSetEvaluationScheduler.name);
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(
    @Inject(PrismaService) private readonly prisma: PrismaService,
    @Inject(BundleSetQueue) private readonly queue: BundleSetQueue,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), TICK_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  async tick(): Promise<number> {
    if (this.running) return 0;
    this.running = true;
    try {
      const ids = await requestedEvaluations(this.prisma, BATCH);
      for (const id of ids) await this.queue.evaluate(id);
      return ids.length;
    } catch (error) {
      this.logger.warn(`BundleSet evaluation scheduling failed: ${(error as Error).message}`);
      return 0;
    } finally {
      this.running = false;
    }
  }
}
