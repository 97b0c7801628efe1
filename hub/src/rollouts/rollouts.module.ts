import { Module } from '@nestjs/common';
import { DeliveryModule } from '../delivery/delivery.module.js';
import { RolloutController } from './rollout.controller.js';
import { RolloutService } from './rollout.service.js';

/** The rollout API: status, history, pause/resume, promote, rollback and unpin (the passes run in delivery). */
@Module({ imports: [DeliveryModule], controllers: [RolloutController], providers: [RolloutService] })
export class RolloutsModule {}
