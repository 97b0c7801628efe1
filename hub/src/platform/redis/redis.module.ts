import { Global, Inject, Injectable, Module, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { Redis } from 'ioredis';
import { HUB_CONFIG } from '../config/config.module.js';
import type { HubConfig } from '../config/config.js';
import { RedisHealth } from './redis-health.js';

/** Longest wait for a Redis command on the command connection (ms); every use of it is best-effort or a health check. */
export const REDIS_COMMAND_TIMEOUT_MS = 1000;

/**
 * Two Redis connections: one for commands, one dedicated to pub/sub (a
 * subscribed connection cannot run other commands). BullMQ opens its own.
 *
 * Nothing the hub answers waits for Redis (issue #9): commands fail at once
 * while the connection is down (no offline queue) and after
 * REDIS_COMMAND_TIMEOUT_MS on a connection that stopped answering. The
 * subscriber keeps its offline queue; ClusterEventBus subscribes again
 * itself after every reconnect, to know when events flow again.
 */
@Injectable()
export class RedisConnections implements OnModuleInit, OnModuleDestroy {
  readonly command: Redis;
  readonly subscriber: Redis;
  readonly prefix: string;

  constructor(@Inject(HUB_CONFIG) config: HubConfig, @Inject(RedisHealth) private readonly health: RedisHealth) {
    this.command = new Redis(config.redisUrl, {
      lazyConnect: false,
      enableOfflineQueue: false,
      commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
      maxRetriesPerRequest: 1,
    });
    this.subscriber = new Redis(config.redisUrl, { lazyConnect: false, maxRetriesPerRequest: null, autoResubscribe: false });
    this.prefix = config.redisPrefix;
    health.track('command', this.command);
    health.track('subscriber', this.subscriber);
  }

  /** The hub starts with Redis up (without an offline queue, commands sent before the connection is ready fail). */
  async onModuleInit(): Promise<void> {
    if (this.command.status !== 'ready') await new Promise<void>((resolve) => this.command.once('ready', () => resolve()));
  }

  async onModuleDestroy(): Promise<void> {
    this.health.stop();
    this.subscriber.disconnect();
    await this.command.quit().catch(() => this.command.disconnect());
  }
}

@Global()
@Module({ providers: [RedisHealth, RedisConnections], exports: [RedisHealth, RedisConnections] })
export class RedisModule {}
