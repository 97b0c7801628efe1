import { Global, Inject, Injectable, Module, type OnModuleDestroy } from '@nestjs/common';
import { Redis } from 'ioredis';
import { HUB_CONFIG } from '../config/config.module.js';
import type { HubConfig } from '../config/config.js';

/**
 * Two Redis connections: one for commands, one dedicated to pub/sub (a
 * subscribed connection cannot run other commands). BullMQ opens its own.
 */
@Injectable()
export class RedisConnections implements OnModuleDestroy {
  readonly command: Redis;
  readonly subscriber: Redis;
  readonly prefix: string;

  constructor(@Inject(HUB_CONFIG) config: HubConfig) {
    this.command = new Redis(config.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 3 });
    this.subscriber = new Redis(config.redisUrl, { lazyConnect: false, maxRetriesPerRequest: null });
    this.prefix = config.redisPrefix;
  }

  async onModuleDestroy(): Promise<void> {
    this.subscriber.disconnect();
    await this.command.quit().catch(() => this.command.disconnect());
  }
}

@Global()
@Module({ providers: [RedisConnections], exports: [RedisConnections] })
export class RedisModule {}
