import { Module } from '@nestjs/common';
import { ClusterEventsModule } from '../platform/events/cluster-events.module.js';
import { DeliveryModule } from '../delivery/delivery.module.js';
import { BundleController } from './bundle.controller.js';
import { BundleService } from './bundle.service.js';
import { ManifestParserPool } from './manifest-parser.pool.js';
import { SourceBundleWriter } from './source-bundle.writer.js';

@Module({
  imports: [ClusterEventsModule, DeliveryModule],
  controllers: [BundleController],
  providers: [BundleService, ManifestParserPool, SourceBundleWriter],
  exports: [SourceBundleWriter],
})
export class BundlesModule {}
