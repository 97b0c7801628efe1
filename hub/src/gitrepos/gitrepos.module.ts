import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { SourceBundleWriter } from '../bundles/source-bundle.writer.js';
import { DeliveryModule } from '../delivery/delivery.module.js';
import { ClusterEventsModule } from '../platform/events/cluster-events.module.js';
import { GIT_SYNC_QUEUE, GitSyncQueue } from './git-sync.queue.js';
import { GitRepoController, WebhookController } from './gitrepo.controller.js';
import { GitRepoService } from './gitrepo.service.js';
import { WebhookService } from './webhook.service.js';

/** The `api` role's Git half: GitRepos through the REST API, and push webhooks. Syncs run on `render` (sync/). */
@Module({
  imports: [ClusterEventsModule, DeliveryModule, BullModule.registerQueue({ name: GIT_SYNC_QUEUE })],
  controllers: [GitRepoController, WebhookController],
  providers: [GitRepoService, WebhookService, GitSyncQueue, SourceBundleWriter],
})
export class GitReposModule {}
