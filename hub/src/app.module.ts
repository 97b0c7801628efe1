import { BullModule } from '@nestjs/bullmq';
import { Module, type DynamicModule } from '@nestjs/common';
import { ApiModule } from './api/api.module.js';
import { BundlesModule } from './bundles/bundles.module.js';
import { ClustersModule } from './clusters/clusters.module.js';
import { GatewayModule } from './gateway/gateway.module.js';
import { GitReposModule } from './gitrepos/gitrepos.module.js';
import { GitSyncModule } from './gitrepos/sync/git-sync.module.js';
import { BundleSetsModule } from './bundlesets/bundlesets.module.js';
import { BundleSetEvaluationModule } from './bundlesets/evaluation/bundleset-evaluation.module.js';
import { ConfigModule } from './platform/config/config.module.js';
import type { HubConfig } from './platform/config/config.js';
import { DatabaseModule } from './database/database.module.js';
import { MetricsModule } from './platform/metrics/metrics.module.js';
import { RedisModule } from './platform/redis/redis.module.js';
import { RegistrationModule } from './registration/registration.module.js';
import { RenderingModule } from './rendering/rendering.module.js';
import { EventsModule } from './events/events.module.js';
import { RolloutsModule } from './rollouts/rollouts.module.js';
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
        // Health, readiness and metrics routes in every role (a render-only process still answers probes).
        ApiModule,
        ...(config.roles.has('api') ? [RegistrationModule, ClustersModule, BundlesModule, GitReposModule, BundleSetsModule, StatusModule, RolloutsModule, EventsModule] : []),
        ...(config.roles.has('gateway') ? [GatewayModule] : []),
        ...(config.roles.has('render') ? [RenderingModule, GitSyncModule, BundleSetEvaluationModule] : []),
      ],
    };
  }
}
