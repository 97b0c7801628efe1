import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { appendEvents } from '../platform/events/fleet-event-log.js';
import { PrismaService } from '../database/prisma.service.js';

/**
 * Records that clusters were heard from. Heartbeats are buffered and written
 * in one UPDATE per flush, so thousands of agents cost one statement every few
 * seconds instead of one per heartbeat.
 */
@Injectable()
export class PresenceService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(PresenceService.name);
  private pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  /** Flush period in milliseconds. */
  static readonly FLUSH_MS = 2000;

  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.flush(), PresenceService.FLUSH_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  markSeen(clusterId: string): void {
    this.pending.add(clusterId);
  }

  /** Marks a cluster online immediately (stream opened). */
  async markConnected(clusterId: string, agentVersion: string): Promise<void> {
    await this.prisma.cluster.updateMany({
      where: { id: clusterId, connection: { not: 'revoked' } },
      data: { connection: 'online', lastSeenAt: new Date(), ...(agentVersion ? { agentVersion } : {}) },
    });
  }

  async flush(): Promise<void> {
    if (this.pending.size === 0) return;
    const ids = [...this.pending];
    this.pending = new Set();
    try {
      await this.prisma.$transaction(async (tx) => {
        const seen = await tx.$queryRaw<{ name: string; was: string }[]>`
          UPDATE clusters c SET last_seen_at = now(), connection = 'online', updated_at = now()
          FROM (SELECT id, connection::text AS was FROM clusters WHERE id = ANY(${ids}::uuid[]) AND connection <> 'revoked' FOR NO KEY UPDATE) old
          WHERE c.id = old.id RETURNING c.name, old.was`;
        const back = seen.filter((c) => c.was === 'offline');
        await appendEvents(tx, back.map((c) => ({ kind: 'cluster.online', cluster: c.name, message: `cluster ${c.name} back online`, data: {} })));
      });
    } catch (error) {
      // Keep them for the next flush: a database blip must not mark agents offline.
      for (const id of ids) this.pending.add(id);
      this.logger.warn(`presence flush failed, will retry: ${(error as Error).message}`);
    }
  }

  /** Marks clusters not seen for `offlineAfterSeconds` offline; returns how many. */
  async sweepOffline(offlineAfterSeconds: number): Promise<number> {
    const cutoff = new Date(Date.now() - offlineAfterSeconds * 1000);
    return this.prisma.$transaction(async (tx) => {
      const gone = await tx.$queryRaw<{ name: string; last_seen_at: Date }[]>`
        UPDATE clusters SET connection = 'offline' WHERE connection = 'online' AND last_seen_at < ${cutoff}
        RETURNING name, last_seen_at`;
      await appendEvents(
        tx,
        gone.map((c) => ({ kind: 'cluster.offline', cluster: c.name, severity: 'warning', message: `cluster ${c.name} offline (last seen ${c.last_seen_at.toISOString()})`, data: { lastSeenAt: c.last_seen_at.toISOString() } })),
      );
      return gone.length;
    });
  }
}
