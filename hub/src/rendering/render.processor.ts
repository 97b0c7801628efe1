import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, type OnApplicationBootstrap } from '@nestjs/common';
import type { Job } from 'bullmq';
import { RENDER_QUEUE, type RenderJob } from '../delivery/render.queue.js';
import { HUB_CONFIG } from '../platform/config/config.module.js';
import type { HubConfig } from '../platform/config/config.js';
import { RedisHealth } from '../platform/redis/redis-health.js';
import { RenderService } from './render.service.js';

/**
 * The render worker (FLOTILLA_ROLE=render): takes render jobs from BullMQ.
 * helm and kustomize run as child processes, so a runaway chart costs this
 * process a wait, never the agent streams or the API of another process.
 */
@Processor(RENDER_QUEUE)
export class RenderProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(
    @Inject(RenderService) private readonly renders: RenderService,
    @Inject(RedisHealth) private readonly redis: RedisHealth,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    // FLOTILLA_RENDER_CONCURRENCY: render jobs at once (each runs its tools one after another).
    this.worker.concurrency = this.config.render.concurrency;
    this.redis.trackBullmq('render worker', this.worker);
  }

  process(job: Job<RenderJob>): Promise<unknown> {
    return this.renders.renderBundle(job.data.bundleId);
  }
}
