import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { ClusterEventsModule } from '../platform/events/cluster-events.module.js';
import { DeploymentFanout } from './deployment-fanout.service.js';
import { FANOUT_QUEUE, FanoutQueue } from './fanout.queue.js';
import { FanoutProcessor } from './fanout.processor.js';
import { FanoutRepair } from './fanout-repair.service.js';

/** Bundle → per-cluster deployments, queued on BullMQ, repaired from PostgreSQL markers when a job is lost. */
@Module({
  imports: [ClusterEventsModule, BullModule.registerQueue({ name: FANOUT_QUEUE })],
  providers: [FanoutQueue, DeploymentFanout, FanoutProcessor, FanoutRepair],
  exports: [FanoutQueue],
})
export class DeliveryModule {}
