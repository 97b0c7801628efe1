import { Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { SourceBundleWriter } from '../../bundles/source-bundle.writer.js';
import { DeliveryModule } from '../../delivery/delivery.module.js';
import { ClusterEventsModule } from '../../platform/events/cluster-events.module.js';
import { GIT_SYNC_QUEUE, GitSyncQueue } from '../git-sync.queue.js';
import { GitPollScheduler } from './git-poll.scheduler.js';
import { GitSyncProcessor } from './git-sync.processor.js';
import { GitSyncService } from './git-sync.service.js';

/** The `render` role's Git half: polls and syncs GitRepos into bundles. */
@Module({
  imports: [ClusterEventsModule, DeliveryModule, BullModule.registerQueue({ name: GIT_SYNC_QUEUE })],
  providers: [GitSyncQueue, GitSyncService, GitSyncProcessor, GitPollScheduler, SourceBundleWriter],
})
export class GitSyncModule {}
