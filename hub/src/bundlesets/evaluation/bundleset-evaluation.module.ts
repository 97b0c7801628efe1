import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { SourceBundleWriter } from '../../bundles/source-bundle.writer.js';
import { DeliveryModule } from '../../delivery/delivery.module.js';
import { ClusterEventsModule } from '../../platform/events/cluster-events.module.js';
import { BUNDLESET_QUEUE, BundleSetQueue } from './bundleset-evaluation.queue.js';
import { BundleSetEvaluationProcessor } from './bundleset-evaluation.processor.js';
import { BundleSetEvaluationScheduler } from './bundleset-evaluation.scheduler.js';
import { BundleSetEvaluator } from './bundleset-evaluator.js';
import { BundleSetWriter } from './bundleset-writer.js';

/** The `render` role's BundleSet half: evaluates BundleSets whose inputs changed into bundles. */
@Module({
  imports: [ClusterEventsModule, DeliveryModule, BullModule.registerQueue({ name: BUNDLESET_QUEUE })],
  providers: [BundleSetQueue, BundleSetEvaluator, BundleSetEvaluationProcessor, BundleSetEvaluationScheduler, BundleSetWriter, SourceBundleWriter],
})
export class BundleSetEvaluationModule {}
