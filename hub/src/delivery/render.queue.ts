import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { RedisHealth } from '../platform/redis/redis-health.js';
import { withTimeout } from '../platform/timeout/with-timeout.js';
import { ENQUEUE_TIMEOUT_MS } from './fanout.queue.js';

export const RENDER_QUEUE = 'bundle-render';

export interface RenderJob {
  bundleId: string;
}

/**
 * Producer side of rendering: "this directory bundle has customisations with
 * no render yet". The fan-out asks; a render worker (FLOTILLA_ROLE=render)
 * renders what is missing and runs the bundle's fan-out again. A lost job is
 * repaired without Redis: the fan-out leaves the bundle's fan-out marker set
 * while renders are missing, so the repair sweep runs it (and asks) again.
 */
@Injectable()
export class RenderQueue {
  private readonly logger = new Logger(RenderQueue.name);

  constructor(
    @InjectQueue(RENDER_QUEUE) private readonly queue: Queue,
    @Inject(RedisHealth) private readonly redis: RedisHealth,
  ) {
    redis.trackBullmq('render queue', queue);
  }

  /** Resolves true when queued, false when left to the repair sweep (never throws). */
  async renderBundle(bundleId: string): Promise<boolean> {
    if (!this.redis.up) return false;
    try {
      await withTimeout(this.queue.add('bundle', { bundleId } satisfies RenderJob, OPTS), ENQUEUE_TIMEOUT_MS, 'queueing a render job');
      return true;
    } catch (error) {
      this.logger.warn('render job not queued; the fan-out repair sweep will ask again', { bundleId, error: (error as Error).message });
      return false;
    }
  }
}

const OPTS = { removeOnComplete: true, removeOnFail: 1000, attempts: 3, backoff: { type: 'exponential', delay: 1000 } } as const;
