import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { RedisConnections } from '../redis/redis.module.js';

/**
 * Events about a cluster that every hub replica must see: the replica holding
 * the cluster's Watch stream acts on them. Redis pub/sub carries them; the
 * stream re-check in the gateway covers a message lost while Redis was down.
 */
export type ClusterEvent =
  | { type: 'desired-state-changed'; clusterId: string }
  | { type: 'credential-revoked'; clusterId: string };

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

  subscribe(listener: ClusterEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

function parseEvent(message: string): ClusterEvent | undefined {
  try {
    const value = JSON.parse(message) as Partial<ClusterEvent>;
    if (
      (value.type === 'desired-state-changed' || value.type === 'credential-revoked') &&
      typeof value.clusterId === 'string'
    ) {
      return { type: value.type, clusterId: value.clusterId };
    }
  } catch {
    // fall through
  }
  return undefined;
}
