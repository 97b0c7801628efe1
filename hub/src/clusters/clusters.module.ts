import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { DeliveryModule } from '../delivery/delivery.module.js';
import { RegistrationModule } from '../registration/registration.module.js';
import { ClusterGroupController } from './cluster-group.controller.js';
import { ClusterGroupService } from './cluster-group.service.js';
import { ClusterController } from './cluster.controller.js';
import { ClusterService } from './cluster.service.js';
import { HOUSEKEEPING_QUEUE, HousekeepingProcessor } from './housekeeping.processor.js';
import { RevisionGcService } from '../bundles/revision-gc.service.js';
import { PresenceService } from './presence.service.js';
import { ClusterEventsModule } from '../platform/events/cluster-events.module.js';

@Module({
  imports: [ClusterEventsModule, DeliveryModule, RegistrationModule, BullModule.registerQueue({ name: HOUSEKEEPING_QUEUE })],
  controllers: [ClusterController, ClusterGroupController],
  providers: [ClusterService, ClusterGroupService, PresenceService, RevisionGcService, HousekeepingProcessor],
  exports: [ClusterService, PresenceService, ClusterEventsModule],
})
export class ClustersModule {}
