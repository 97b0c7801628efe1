import { Module } from '@nestjs/common';
import { ClusterEventsModule } from '../platform/events/cluster-events.module.js';
import { DeliveryModule } from '../delivery/delivery.module.js';
import { RegistrationTokenController } from './registration-token.controller.js';
import { RegistrationTokenService } from './registration-token.service.js';
import { RegistrationService } from './registration.service.js';

@Module({
  imports: [ClusterEventsModule, DeliveryModule],
  controllers: [RegistrationTokenController],
  providers: [RegistrationService, RegistrationTokenService],
  exports: [RegistrationService, RegistrationTokenService],
})
export class RegistrationModule {}
