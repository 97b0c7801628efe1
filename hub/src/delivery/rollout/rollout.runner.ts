import { Inject, Injectable } from '@nestjs/common';
import { PrismaService } from '../../database/prisma.service.js';
import { ClusterEventBus } from '../../platform/events/cluster-events.bus.js';
import { retryOnConflict } from '../deadlock-retry.js';
import { raiseGenerations } from '../desired-generation.js';
import { readGroupSelectors } from '../fanout.reads.js';
import { clearRolloutRequest } from './rollout-marker.js';
import { stepRollout } from './rollout-step.js';

/**
 * Runs a pass of a bundle's rollout from PostgreSQL state, in one
 * transaction holding the bundle's row lock (as the fan-out does), then tells
 * the clusters whose deployed revision changed. Idempotent: any number of
 * runs for the same state deploy the same thing once.
 */
@Injectable()
export class RolloutRunner {
  constructor(
    @Inject(PrismaService) private readonly prisma: PrismaService,
    @Inject(ClusterEventBus) private readonly events: ClusterEventBus,
  ) {}

  async run(bundleId: string): Promise<string[]> {
    const deployed = await retryOnConflict(() => this.prisma.$transaction(async (tx) => {
      const bundle = (await tx.$queryRaw<{ marker: string | null }[]>`
        SELECT rollout_requested_at::text AS marker FROM bundles WHERE id = ${bundleId}::uuid FOR UPDATE`)[0];
      if (!bundle) return [];
      const deployed = await stepRollout(tx, bundleId, await readGroupSelectors(tx));
      await raiseGenerations(tx, deployed);
      await clearRolloutRequest(tx, bundleId, bundle.marker);
      return deployed;
    }));
    if (deployed.length) await this.events.desiredStateChanged(deployed);
    return deployed;
  }
}
