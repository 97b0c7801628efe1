import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, type OnApplicationBootstrap } from '@nestjs/common';
import type { Job } from 'bullmq';
import { PrismaService } from '../../database/prisma.service.js';
import { HUB_CONFIG } from '../../platform/config/config.module.js';
import type { HubConfig } from '../../platform/config/config.js';
import { RedisHealth } from '../../platform/redis/redis-health.js';
import { GIT_SYNC_QUEUE, type GitSyncJob } from '../git-sync.queue.js';
import { GitSyncService, type SyncOutcome } from './git-sync.service.js';
import { clearSyncMarker, readSyncMarker, scheduleNextPoll } from './sync-marker.js';

/** A request that keeps arriving while its sync runs is followed by at most this many more runs in one job. */
const MAX_RUNS_PER_JOB = 3;

/**
 * GitRepo sync worker (FLOTILLA_ROLE=render, beside the render worker: both
 * read repositories and run tools, neither holds agent streams). A request
 * that arrives while its GitRepo syncs (a webhook mid-fetch) re-stamps the
 * marker, so the job runs the sync again instead of dropping the request.
 */
@Processor(GIT_SYNC_QUEUE)
export class GitSyncProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(
    @Inject(GitSyncService) private readonly syncs: GitSyncService,
    @Inject(PrismaService) private readonly prisma: PrismaService,
    @Inject(RedisHealth) private readonly redis: RedisHealth,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.git.concurrency;
    this.redis.trackBullmq('git sync worker', this.worker);
  }

  async process(job: Job<GitSyncJob>): Promise<SyncOutcome> {
    const id = job.data.gitRepoId;
    let outcome: SyncOutcome = 'unchanged';
    for (let run = 0; run < MAX_RUNS_PER_JOB; run++) {
      const marker = await readSyncMarker(this.prisma, id);
      outcome = await this.syncs.sync(id);
      if (outcome === 'gone' || marker === null || (await clearSyncMarker(this.prisma, id, marker))) break;
    }
    if (outcome !== 'gone') await scheduleNextPoll(this.prisma, id);
    return outcome;
  }
}
