import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { ClusterEventsModule } from '../platform/events/cluster-events.module.js';
import { DeploymentFanout } from './deployment-fanout.service.js';
import { FANOUT_QUEUE, FanoutQueue } from './fanout.queue.js';
import { FanoutProcessor } from './fanout.processor.js';
import { FanoutRepair } from './fanout-repair.service.js';
import { RENDER_QUEUE, RenderQueue } from './render.queue.js';
import { RolloutProcessor } from './rollout/rollout.processor.js';
import { RolloutQueueModule } from './rollout/rollout-queue.module.js';
import { RolloutRunner } from './rollout/rollout.runner.js';
import { RolloutScheduler } from './rollout/rollout.scheduler.js';

/**
 * Bundle → per-cluster deployments, queued on BullMQ, repaired from PostgreSQL markers when a job is lost. A
 * directory bundle's fan-out asks for the renders it lacks on the render queue (served by the `render` role). Rollouts
 * decide which staged revisions are deployed: passes queued on BullMQ, run again from PostgreSQL when a job is lost.
 */
@Module({
  imports: [ClusterEventsModule, RolloutQueueModule, BullModule.registerQueue({ name: FANOUT_QUEUE }, { name: RENDER_QUEUE })],
  providers: [FanoutQueue, RenderQueue, DeploymentFanout, FanoutProcessor, FanoutRepair, RolloutRunner, RolloutProcessor, RolloutScheduler],
  exports: [FanoutQueue, RenderQueue, RolloutQueueModule, DeploymentFanout],
})
export class DeliveryModule {}
