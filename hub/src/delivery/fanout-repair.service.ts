import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service.js';
import { HUB_CONFIG } from '../platform/config/config.module.js';
import type { HubConfig } from '../platform/config/config.js';
import { HubMetrics } from '../platform/metrics/metrics.js';
import { DeploymentFanout } from './deployment-fanout.service.js';
import { claimStaleMarks, type MarkedTable } from './fanout-marker.js';

/** Rows repaired per table and sweep; more wait for the next sweep. */
const BATCH = 500;

/**
 * The fan-out's repair path (issue #9). A change commits its fan-out marker
 * with itself and then enqueues the fan-out on BullMQ; if that job never
 * runs (Redis down or flushed, the hub stopped in between) the marker stays.
 * Every FLOTILLA_FANOUT_REPAIR_SECONDS, and once at start, this sweep claims
 * the markers older than that and runs their fan-outs in this process —
 * a timer, not a BullMQ job, because it must work while Redis is down.
 *
 * Bound: a committed change gets its deployments within
 * 2 × FLOTILLA_FANOUT_REPAIR_SECONDS plus the fan-out itself, and a connected
 * agent its new desired state at once when pub/sub works, otherwise within
 * FLOTILLA_DESIRED_STATE_RECHECK_SECONDS more. A fan-out that still waits
 * in a long queue may run twice; fan-outs are idempotent and serialised by
 * row locks. Counted in `flotilla_fanout_repairs_total`.
 */
@Injectable()
export class FanoutRepair implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(FanoutRepair.name);
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    @Inject(PrismaService) private readonly prisma: PrismaService,
    @Inject(DeploymentFanout) private readonly fanout: DeploymentFanout,
    @Inject(HubMetrics) private readonly metrics: HubMetrics,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), this.config.fanoutRepairSeconds * 1000);
    this.timer.unref();
    void this.sweep();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /** Runs the fan-outs whose markers are stale; returns how many. One sweep at a time per replica. */
  async sweep(): Promise<number> {
    if (this.running) return 0;
    this.running = true;
    try {
      const bundles = await this.repair('bundles', (id) => this.fanout.reconcileBundle(id));
      const clusters = await this.repair('clusters', (id) => this.fanout.reconcileCluster(id));
      if (bundles + clusters > 0) this.logger.log('repaired fan-outs whose job did not run', { bundles, clusters });
      return bundles + clusters;
    } catch (error) {
      this.logger.warn('fan-out repair sweep failed', { error: (error as Error).message });
      return 0;
    } finally {
      this.running = false;
    }
  }

  private async repair(table: MarkedTable, run: (id: string) => Promise<unknown>): Promise<number> {
    const ids = await claimStaleMarks(this.prisma, table, this.config.fanoutRepairSeconds, BATCH);
    let repaired = 0;
    for (const id of ids) {
      try {
        await run(id);
        repaired++;
        this.metrics.fanoutRepairs.inc({ kind: table === 'bundles' ? 'bundle' : 'cluster' });
      } catch (error) {
        // Claimed, so stamped again: the sweep after next retries it.
        this.logger.warn('fan-out repair failed', { table, id, error: (error as Error).message });
      }
    }
    return repaired;
  }
}
