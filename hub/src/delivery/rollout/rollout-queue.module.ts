import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { ROLLOUT_QUEUE, RolloutQueue } from './rollout.queue.js';

/** The producer side of rollout passes only: the gateway requests passes after reports without running them. */
@Module({
  imports: [BullModule.registerQueue({ name: ROLLOUT_QUEUE })],
  providers: [RolloutQueue],
  exports: [RolloutQueue],
})
export class RolloutQueueModule {}
