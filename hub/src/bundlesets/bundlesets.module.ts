import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { SourceBundleWriter } from '../bundles/source-bundle.writer.js';
import { DeliveryModule } from '../delivery/delivery.module.js';
import { ClusterEventsModule } from '../platform/events/cluster-events.module.js';
import { BundleSetController } from './bundleset.controller.js';
import { BundleSetService } from './bundleset.service.js';
import { BUNDLESET_QUEUE, BundleSetQueue } from './evaluation/bundleset-evaluation.queue.js';

/** The `api` role's BundleSet half: BundleSets and their previews through the REST API. Evaluations run on `render` (evaluation/). */
@Module({
  imports: [ClusterEventsModule, DeliveryModule, BullModule.registerQueue({ name: BUNDLESET_QUEUE })],
  controllers: [BundleSetController],
  providers: [BundleSetService, BundleSetQueue, SourceBundleWriter],
})
export class BundleSetsModule {}
