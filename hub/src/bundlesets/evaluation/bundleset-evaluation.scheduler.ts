import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { PrismaService } from '../../database/prisma.service.js';
import { TickLoop } from '../../platform/schedule/tick-loop.js';
import { wakeSignals } from '../../platform/schedule/wake-signal.js';
import { BundleSetQueue } from './bundleset-evaluation.queue.js';
import { requestedEvaluations } from './evaluation-marker.js';

/** How often stamped BundleSets are looked for (one indexed query; nothing else while no input changes): the latency a cluster joining adds. */
const TICK_MS = 250;
/** The tick while nothing is requested (ms): the latency of a request stamped by another process (this one's wake the loop). */
const IDLE_MAX_MS = 2000;
const BATCH = 200;

/**
 * Queues the evaluations that inputs asked for (`evaluation_requested_at`,
 * stamped in the transaction of the change: a cluster registering or
 * relabelled, a GitRepo commit, an edit), every 250 ms while requests come (2 s while none do; a request
 * stamped in this process wakes it). The queue's job id keeps one job
 * per BundleSet, so ticking while one runs queues nothing more; a restart or
 * a Redis flush loses nothing, the requests are in the table.
 */
@Injectable()
export class BundleSetEvaluationScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(BundleSetEvaluationScheduler.name);
  private readonly loop = new TickLoop('BundleSet evaluation scheduling', TICK_MS, () => this.queueRequested(), this.logger, {
    idleMaxMs: IDLE_MAX_MS,
    wakeOn: [wakeSignals.bundleSetEvaluations],
  });

  constructor(
    @Inject(PrismaService) private readonly prisma: PrismaService,
    @Inject(BundleSetQueue) private readonly queue: BundleSetQueue,
  ) {}

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  onModuleDestroy(): void {
    this.loop.stop();
  }

  private async queueRequested(): Promise<number> {
    const ids = await requestedEvaluations(this.prisma, BATCH);
    for (const id of ids) await this.queue.evaluate(id);
    return ids.length;
  }
}
