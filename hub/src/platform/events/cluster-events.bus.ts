import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { RedisConnections } from '../redis/redis.module.js';

/**
 * Events about a cluster that every hub replica must see: the replica holding
 * the cluster's Watch stream acts on them. Redis pub/sub carries them; the
 * stream re-check in the gateway covers a message lost while Redis was down.
 */
export type ClusterEvent =
  | { type: 'desired-state-changed'; clusterIds: string[] }
  | { type: 'credential-revoked'; clusterId: string };

/** Cluster ids per desired-state message: one message wakes a whole fan-out's streams (~37 KiB at 1,000). */
export const CLUSTERS_PER_MESSAGE = 1000;

export type ClusterEventListener = (event: ClusterEvent) => void;

@Injectable()
export class ClusterEventBus implements OnModuleInit {
  private readonly logger = new Logger(ClusterEventBus.name);
  private readonly listeners = new Set<ClusterEventListener>();
  private readonly channel: string;

  constructor(@Inject(RedisConnections) private readonly redis: RedisConnections) {
    this.channel = `${redis.prefix}:cluster-events`;
  }

  async onModuleInit(): Promise<void> {
    this.redis.subscriber.on('message', (channel: string, message: string) => {
      if (channel !== this.channel) return;
      const event = parseEvent(message);
      if (!event) {
        this.logger.warn(`ignored malformed cluster event on ${channel}`);
        return;
      }
      for (const listener of this.listeners) listener(event);
    });
    await this.redis.subscriber.subscribe(this.channel);
  }

  async publish(event: ClusterEvent): Promise<void> {
    await this.redis.command.publish(this.channel, JSON.stringify(event));
  }

  /**
   * Wakes the streams of these clusters, in batches. Fire-and-forget (Redis
   * pub/sub): the change itself is already committed with a raised
   * generation, and the gateway's generation re-check repairs a lost message.
   */
  async desiredStateChanged(clusterIds: readonly string[]): Promise<void> {
    const ids = [...new Set(clusterIds)];
    const batches: Promise<void>[] = [];
    for (let i = 0; i < ids.length; i += CLUSTERS_PER_MESSAGE) {
      batches.push(this.publish({ type: 'desired-state-changed', clusterIds: ids.slice(i, i + CLUSTERS_PER_MESSAGE) }));
    }
    await Promise.all(batches);
  }

  subscribe(listener: ClusterEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

function parseEvent(message: string): ClusterEvent | undefined {
  try {
    const value = JSON.parse(message) as { type?: unknown; clusterId?: unknown; clusterIds?: unknown };
    if (value.type === 'credential-revoked' && typeof value.clusterId === 'string') {
      return { type: value.type, clusterId: value.clusterId };
    }
    if (value.type === 'desired-state-changed') {
      // `clusterId` is what replicas before batching published (rolling upgrades mix both).
      if (typeof value.clusterId === 'string') return { type: value.type, clusterIds: [value.clusterId] };
      if (Array.isArray(value.clusterIds) && value.clusterIds.every((id) => typeof id === 'string')) {
        return { type: value.type, clusterIds: value.clusterIds as string[] };
      }
    }
  } catch {
    // fall through
  }
  return undefined;
}
