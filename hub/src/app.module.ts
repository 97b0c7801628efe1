import { BullModule } from '@nestjs/bullmq';
import { Module, type DynamicModule } from '@nestjs/common';
import { ApiModule } from './api/api.module.js';
import { BundlesModule } from './bundles/bundles.module.js';
import { ClustersModule } from './clusters/clusters.module.js';
import { GatewayModule } from './gateway/gateway.module.js';
import { ConfigModule } from './platform/config/config.module.js';
import type { HubConfig } from './platform/config/config.js';
import { DatabaseModule } from './database/database.module.js';
import { MetricsModule } from './platform/metrics/metrics.module.js';
import { RedisModule } from './platform/redis/redis.module.js';
import { RegistrationModule } from './registration/registration.module.js';
import { StatusModule } from './status/status.module.js';

@Module({})
export class AppModule {
  static forRoot(config: HubConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule,
        RedisModule,
        MetricsModule,
        BullModule.forRoot({
          connection: { url: config.redisUrl, maxRetriesPerRequest: null },
          prefix: `${config.redisPrefix}:bull`,
        }),
        ApiModule,
        RegistrationModule,
        ClustersModule,
        GatewayModule,
        BundlesModule,
        StatusModule,
      ],
    };
  }
}
