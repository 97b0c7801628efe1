import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { PrismaService } from '../../database/prisma.service.js';
import { HUB_CONFIG } from '../../platform/config/config.module.js';
import type { HubConfig } from '../../platform/config/config.js';
import { RedisHealth } from '../../platform/redis/redis-health.js';
import { TickLoop } from '../../platform/schedule/tick-loop.js';
import { wakeSignals } from '../../platform/schedule/wake-signal.js';
import { readEvents } from '../event-reads.js';
import { sequenceEvents } from '../event-sequencer.js';

export const WEBHOOK_QUEUE = 'webhook-delivery';
const TICK_MS = 500;
/** The tick while no event arrives (ms); an event appended in this process wakes it. */
const IDLE_MAX_MS = 5000;
/** Events turned into deliveries per subscription and tick. */
const BATCH = 500;
/** A Pending delivery untouched this long has lost its job (Redis flushed): queued again. */
const STALE_SECONDS = 60;

export interface WebhookJob {
  deliveryId: string;
}

/**
 * Turns new events into deliveries, from PostgreSQL: every TICK_MS while
 * events arrive (backing off to IDLE_MAX_MS while none do), for each
 * enabled subscription (row-locked, SKIP LOCKED, so replicas share the work),
 * the events after its cursor that match its filters become `Pending`
 * delivery rows and the cursor moves past them, in one transaction; each new
 * delivery is queued on BullMQ, whose retries with exponential backoff do the
 * POSTs (webhook.processor.ts). A Pending delivery whose job was lost (Redis
 * flushed) is queued again after STALE_SECONDS; the job id is the delivery
 * id, so a job that still exists is not doubled. Deletes events older than
 * FLOTILLA_EVENT_RETENTION_HOURS once a minute.
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(WebhookDispatcher.name);
  private readonly loop = new TickLoop('webhook dispatch', TICK_MS, () => this.dispatch(), this.logger, { idleMaxMs: IDLE_MAX_MS, wakeOn: [wakeSignals.fleetEvents] });
  private lastRetention = 0;
  private lastStaleCheck = 0;

  constructor(
    @Inject(PrismaService) private readonly prisma: PrismaService,
    @InjectQueue(WEBHOOK_QUEUE) private readonly queue: Queue,
    @Inject(RedisHealth) private readonly redis: RedisHealth,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {
    redis.trackBullmq('webhook queue', queue);
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  onModuleDestroy(): void {
    this.loop.stop();
  }

  tick(): Promise<number> {
    return this.loop.run();
  }

  private async dispatch(): Promise<number> {
    await sequenceEvents(this.prisma);
    const created = await this.prisma.$transaction(async (tx) => {
      const subs = await tx.$queryRaw<{ id: string; kinds: string[]; bundle: string; cluster: string; cursor: bigint }[]>`
        SELECT id::text, kinds, bundle, cluster, cursor FROM webhook_subscriptions WHERE enabled FOR UPDATE SKIP LOCKED`;
      const ids: string[] = [];
      for (const s of subs) {
        const events = await readEvents(tx, s.cursor, { kinds: s.kinds, bundle: s.bundle || undefined, cluster: s.cluster || undefined }, BATCH);
        if (events.length === 0) continue;
        const rows = await tx.$queryRaw<{ id: bigint }[]>`
          INSERT INTO webhook_deliveries (subscription_id, seq, kind, updated_at)
          SELECT ${s.id}::uuid, e.seq, e.kind, now() FROM unnest(${events.map((e) => e.id)}::bigint[], ${events.map((e) => e.kind)}::text[]) AS e(seq, kind)
          ON CONFLICT (subscription_id, seq) DO NOTHING RETURNING id`;
        await tx.$executeRaw`UPDATE webhook_subscriptions SET cursor = ${BigInt(events[events.length - 1]!.id)} WHERE id = ${s.id}::uuid`;
        ids.push(...rows.map((r) => r.id.toString()));
      }
      return ids;
    });
    await this.enqueue([...created, ...(await this.staleDeliveries())]);
    await this.retention();
    return created.length;
  }

  /** Pending deliveries whose job was lost, looked for every STALE_SECONDS / 2 (not at every tick). */
  private async staleDeliveries(): Promise<string[]> {
    if (Date.now() - this.lastStaleCheck < (STALE_SECONDS / 2) * 1000) return [];
    this.lastStaleCheck = Date.now();
    const stale = await this.prisma.$queryRaw<{ id: bigint }[]>`
      SELECT id FROM webhook_deliveries WHERE state = 'Pending' AND updated_at < now() - make_interval(secs => ${STALE_SECONDS}) ORDER BY id LIMIT 500`;
    return stale.map((r) => r.id.toString());
  }

  private async enqueue(ids: string[]): Promise<void> {
    if (ids.length === 0 || !this.redis.up) return;
    const opts = { attempts: this.config.webhooks.attempts, backoff: { type: 'exponential', delay: this.config.webhooks.backoffMs }, removeOnComplete: true, removeOnFail: 1000 };
    await this.queue.addBulk(ids.map((deliveryId) => ({ name: 'deliver', data: { deliveryId } satisfies WebhookJob, opts: { ...opts, jobId: `delivery-${deliveryId}` } })));
  }

  private async retention(): Promise<void> {
    if (Date.now() - this.lastRetention < 60_000) return;
    this.lastRetention = Date.now();
    await this.prisma.$executeRaw`
      DELETE FROM fleet_events WHERE seq IS NOT NULL AND at < now() - make_interval(hours => ${this.config.eventRetentionHours})`;
  }
}
