import { Module } from '@nestjs/common';
import { ClusterEventsModule } from '../platform/events/cluster-events.module.js';
import { DeliveryModule } from '../delivery/delivery.module.js';
import { BundleController } from './bundle.controller.js';
import { BundleService } from './bundle.service.js';
import { ManifestParserPool } from './manifest-parser.pool.js';

@Module({
  imports: [ClusterEventsModule, DeliveryModule],
  controllers: [BundleController],
  providers: [BundleService, ManifestParserPool],
})
export class BundlesModule {}
