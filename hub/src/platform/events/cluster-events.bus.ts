import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { RedisHealth } from '../redis/redis-health.js';
import { RedisConnections } from '../redis/redis.module.js';

/**
 * Events about a cluster that every hub replica must see: the replica holding
 * the cluster's Watch stream acts on them. Redis pub/sub carries them; the
 * stream re-checks in the gateway cover a message lost while Redis was down.
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
  /** Bumped whenever the subscriber connection closes: events published since may have been missed. */
  private connection = 0;
  private subscribed: number | undefined;

  constructor(
    @Inject(RedisConnections) private readonly redis: RedisConnections,
    @Inject(RedisHealth) private readonly health: RedisHealth,
  ) {
    this.channel = `${redis.prefix}:cluster-events`;
  }

  async onModuleInit(): Promise<void> {
    const subscriber = this.redis.subscriber;
    subscriber.on('message', (channel: string, message: string) => {
      if (channel !== this.channel) return;
      const event = parseEvent(message);
      if (!event) {
        this.logger.warn(`ignored malformed cluster event on ${channel}`);
        return;
      }
      this.deliver(event);
    });
    subscriber.on('close', () => {
      this.connection++;
      this.subscribed = undefined;
    });
    // Not ioredis's autoResubscribe: only our own SUBSCRIBE's reply says when events flow again.
    subscriber.on('ready', () => void this.subscribeChannel().catch(() => undefined));
    // After an outage without a reconnect (Redis hung), events of the gap were lost all the same: a new subscription.
    this.health.onRecovery(() => {
      this.connection++;
      this.subscribed = undefined;
      void this.subscribeChannel().catch(() => undefined);
    });
    await this.subscribeChannel();
  }

  /**
   * Identifies the current subscription while this replica receives events;
   * undefined while it may not (Redis unreachable or not answering — see
   * RedisHealth —, or not subscribed again yet). A new value after an outage
   * means events may have been missed in
   * between, so whatever was kept on the promise of events (the credential
   * cache) must not outlive the subscription it was kept under.
   */
  get subscription(): number | undefined {
    return this.health.up ? this.subscribed : undefined;
  }

  /**
   * Sends the event to every replica. Fire-and-forget and bounded (the
   * command connection has no offline queue and a command timeout): when
   * Redis does not take it, the event is delivered to this replica's own
   * listeners, and the other replicas' periodic re-checks against PostgreSQL
   * repair it (generations, stream credentials; their credential caches are
   * bypassed while their own subscription is down). Resolves false then.
   */
  async publish(event: ClusterEvent): Promise<boolean> {
    try {
      await this.redis.command.publish(this.channel, JSON.stringify(event));
      return true;
    } catch (error) {
      // During an outage RedisHealth has logged it once; otherwise this is news.
      if (this.health.up) this.logger.warn('cluster event not published', { type: event.type, error: (error as Error).message });
      this.deliver(event);
      return false;
    }
  }

  /**
   * Wakes the streams of these clusters, in batches. Fire-and-forget (Redis
   * pub/sub): the change itself is already committed with a raised
   * generation, and the gateway's generation re-check repairs a lost message.
   */
  async desiredStateChanged(clusterIds: readonly string[]): Promise<void> {
    const ids = [...new Set(clusterIds)];
    const batches: Promise<boolean>[] = [];
    for (let i = 0; i < ids.length; i += CLUSTERS_PER_MESSAGE) {
      batches.push(this.publish({ type: 'desired-state-changed', clusterIds: ids.slice(i, i + CLUSTERS_PER_MESSAGE) }));
    }
    await Promise.all(batches);
  }

  subscribe(listener: ClusterEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async subscribeChannel(): Promise<void> {
    const connection = this.connection;
    await this.redis.subscriber.subscribe(this.channel);
    if (connection === this.connection) this.subscribed = connection;
  }

  private deliver(event: ClusterEvent): void {
    for (const listener of this.listeners) listener(event);
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
