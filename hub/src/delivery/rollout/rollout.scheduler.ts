import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { PrismaService } from '../../database/prisma.service.js';
import { HUB_CONFIG } from '../../platform/config/config.module.js';
import type { HubConfig } from '../../platform/config/config.js';
import { TickLoop } from '../../platform/schedule/tick-loop.js';
import { claimDueRollouts } from './rollout-marker.js';
import { RolloutRunner } from './rollout.runner.js';

const TICK_MS = 1000;
/** The tick while nothing is due (ms). */
const IDLE_MAX_MS = 2000;
/** Bundles run per tick; more wait for the next. */
const BATCH = 100;

/**
 * Rollouts driven from PostgreSQL whatever happens to Redis: every second
 * (every 2 s while nothing is due),
 * runs in this process the rollout passes whose request is older than
 * FLOTILLA_ROLLOUT_RECHECK_SECONDS (the job was lost: Redis flushed or down,
 * a hub killed mid-run), and stamps every unfinished rollout so that it is
 * planned again that often without a report (progress deadlines). A timer,
 * not BullMQ, so that it works while Redis is down; `SKIP LOCKED` claims
 * give each bundle to one replica.
 */
@Injectable()
export class RolloutScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(RolloutScheduler.name);
  private readonly loop = new TickLoop('rollout scheduling', TICK_MS, () => this.runDue(), this.logger, { idleMaxMs: IDLE_MAX_MS });

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    @Inject(PrismaService) private readonly prisma: PrismaService,
    @Inject(RolloutRunner) private readonly runner: RolloutRunner,
  ) {}

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  onModuleDestroy(): void {
    this.loop.stop();
  }

  tick(): Promise<number> {
    return this.loop.run();
  }

  private async runDue(): Promise<number> {
    const due = await claimDueRollouts(this.prisma, this.config.rollouts.recheckSeconds, BATCH);
    for (const id of due) {
      try {
        await this.runner.run(id);
      } catch (error) {
        // Claimed, so stamped again: a later tick retries it.
        this.logger.warn('rollout pass failed', { bundleId: id, error: (error as Error).message });
      }
    }
    return due.length;
  }
}
