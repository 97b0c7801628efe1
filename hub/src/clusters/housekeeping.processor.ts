import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { HUB_CONFIG } from '../platform/config/config.module.js';
import type { HubConfig } from '../platform/config/config.js';
import { PrismaService } from '../database/prisma.service.js';
import { HubMetrics } from '../platform/metrics/metrics.js';
import { RedisHealth } from '../platform/redis/redis-health.js';
import { RegistrationTokenService } from '../registration/registration-token.service.js';
import { RevisionGcService } from '../bundles/revision-gc.service.js';
import { PresenceService } from './presence.service.js';

export const HOUSEKEEPING_QUEUE = 'cluster-housekeeping';

/** Expired and revoked registration tokens are kept this long for audit, then deleted. */
const TOKEN_RETENTION_MS = 7 * 24 * 3600 * 1000;

type HousekeepingJob = 'offline-sweep' | 'registration-purge' | 'revision-gc';

/**
 * Periodic fleet housekeeping on BullMQ. Job schedulers are idempotent
 * upserts, so every replica can declare them at start and only one worker
 * runs each tick; they are declared again after a Redis outage (Redis may
 * have come back empty) and at the next start.
 */
@Processor(HOUSEKEEPING_QUEUE)
export class HousekeepingProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(HousekeepingProcessor.name);

  constructor(
    @InjectQueue(HOUSEKEEPING_QUEUE) private readonly queue: Queue,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    @Inject(PresenceService) private readonly presence: PresenceService,
    @Inject(RegistrationTokenService) private readonly tokens: RegistrationTokenService,
    @Inject(PrismaService) private readonly prisma: PrismaService,
    @Inject(HubMetrics) private readonly metrics: HubMetrics,
    @Inject(RevisionGcService) private readonly revisionGc: RevisionGcService,
    @Inject(RedisHealth) private readonly redis: RedisHealth,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    this.redis.trackBullmq('housekeeping queue', this.queue);
    this.redis.trackBullmq('housekeeping worker', this.worker);
    // Redis may come back from an outage empty; the schedules live only there.
    this.redis.onRecovery(() => {
      this.declareSchedules().catch((error: unknown) => this.logger.warn('housekeeping schedules not declared again', { error: (error as Error).message }));
    });
    await this.declareSchedules();
  }

  private async declareSchedules(): Promise<void> {
    // Sweep often enough that "offline" is at most a quarter late.
    const sweepEvery = Math.max(1000, Math.floor((this.config.offlineAfterSeconds * 1000) / 4));
    await this.queue.upsertJobScheduler('offline-sweep', { every: sweepEvery }, { name: 'offline-sweep', opts: { removeOnComplete: true, removeOnFail: 100 } });
    await this.queue.upsertJobScheduler('revision-gc', { every: this.config.revisionGcIntervalSeconds * 1000 }, { name: 'revision-gc', opts: { removeOnComplete: true, removeOnFail: 100 } });
    await this.queue.upsertJobScheduler('registration-purge', { every: 3600_000 }, { name: 'registration-purge', opts: { removeOnComplete: true, removeOnFail: 100 } });
  }

  async process(job: Job): Promise<number> {
    switch (job.name as HousekeepingJob) {
      case 'offline-sweep': {
        const count = await this.presence.sweepOffline(this.config.offlineAfterSeconds);
        if (count > 0) this.logger.log(`${count} cluster(s) went offline`);
        await this.refreshGauge();
        return count;
      }
      case 'registration-purge':
        return this.tokens.purgeStale(TOKEN_RETENTION_MS);
      case 'revision-gc': {
        const result = await this.revisionGc.sweep(this.config.revisionGcGraceSeconds);
        if (result.deleted > 0) this.logger.log(`deleted ${result.deleted} unreferenced bundle revision(s)`);
        return result.deleted;
      }
      default:
        this.logger.warn(`unknown housekeeping job ${job.name}`);
        return 0;
    }
  }

  private async refreshGauge(): Promise<void> {
    const counts = await this.prisma.cluster.groupBy({ by: ['connection'], _count: { _all: true } });
    this.metrics.clusters.reset();
    for (const c of counts) this.metrics.clusters.set({ connection: c.connection }, c._count._all);
  }
}
