import { Inject, Injectable } from '@nestjs/common';
import { PrismaService } from '../../database/prisma.service.js';
import { ClusterEventBus } from '../../platform/events/cluster-events.bus.js';
import { retryOnConflict } from '../deadlock-retry.js';
import { raiseGenerations } from '../desired-generation.js';
import { readGroupSelectors } from '../fanout.reads.js';
import { clearRolloutRequest } from './rollout-marker.js';
import { stepRollout } from './rollout-step.js';

/** Passes of one run at most (maxNew 1 over 1,000 new clusters would need 1,000): the rest waits for the next request. */
const MAX_PASSES = 200;

/**
 * Runs a bundle's rollout from PostgreSQL state: one pass per transaction
 * (holding the bundle's row lock, as the fan-out does), again at once while
 * maxNew held first deployments back, then tells the clusters whose deployed
 * revision changed. Idempotent: any number of runs for the same state
 * deploy the same thing once.
 */
@Injectable()
export class RolloutRunner {
  constructor(
    @Inject(PrismaService) private readonly prisma: PrismaService,
    @Inject(ClusterEventBus) private readonly events: ClusterEventBus,
  ) {}

  async run(bundleId: string): Promise<string[]> {
    const affected: string[] = [];
    for (let pass = 0; pass < MAX_PASSES; pass++) {
      const { deployed, again } = await retryOnConflict(() => this.prisma.$transaction(async (tx) => {
        const bundle = (await tx.$queryRaw<{ marker: string | null }[]>`
          SELECT rollout_requested_at::text AS marker FROM bundles WHERE id = ${bundleId}::uuid FOR UPDATE`)[0];
        if (!bundle) return { deployed: [], again: false };
        const step = await stepRollout(tx, bundleId, await readGroupSelectors(tx));
        await raiseGenerations(tx, step.deployedClusters);
        await clearRolloutRequest(tx, bundleId, bundle.marker);
        return { deployed: step.deployedClusters, again: step.plan?.moreNew === true && step.deployedClusters.length > 0 };
      }));
      if (deployed.length) await this.events.desiredStateChanged(deployed);
      affected.push(...deployed);
      if (!again) break;
    }
    return affected;
  }
}
