import { Module } from '@nestjs/common';
import { ClusterEventsModule } from '../platform/events/cluster-events.module.js';
import { DeliveryModule } from '../delivery/delivery.module.js';
import { BundleController } from './bundle.controller.js';
import { BundleService } from './bundle.service.js';

@Module({
  imports: [ClusterEventsModule, DeliveryModule],
  controllers: [BundleController],
  providers: [BundleService],
})
export class BundlesModule {}
