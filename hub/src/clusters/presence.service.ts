import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
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
      await this.prisma.cluster.updateMany({
        where: { id: { in: ids }, connection: { not: 'revoked' } },
        data: { lastSeenAt: new Date(), connection: 'online' },
      });
    } catch (error) {
      // Keep them for the next flush: a database blip must not mark agents offline.
      for (const id of ids) this.pending.add(id);
      this.logger.warn(`presence flush failed, will retry: ${(error as Error).message}`);
    }
  }

  /** Marks clusters not seen for `offlineAfterSeconds` offline; returns how many. */
  async sweepOffline(offlineAfterSeconds: number): Promise<number> {
    const result = await this.prisma.cluster.updateMany({
      where: { connection: 'online', lastSeenAt: { lt: new Date(Date.now() - offlineAfterSeconds * 1000) } },
      data: { connection: 'offline' },
    });
    return result.count;
  }
}
