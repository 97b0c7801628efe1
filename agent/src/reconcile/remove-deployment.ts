import { prune, pruneOptions } from '../apply/prune.js';
import { AgentError } from '../errors.js';
import { planApply } from '../plan/plan.js';
import type { ReconcileContext } from './context.js';
import { deleteReleaseNamespace } from './release-namespace.js';

/**
 * Removes a deployment the hub no longer assigns: deletes every object in
 * its inventory (highest wave first; in a wave namespaced objects first, CRDs
 * last) unless keepResources,
 * then the inventory. Objects that cannot be deleted stay in the inventory
 * and the removal is retried on the next resync.
 *
 * @param keepResources the deployment's option when known; else the one recorded in the inventory
 */
export async function removeDeployment(ctx: ReconcileContext, bundleName: string, keepResources?: boolean): Promise<void> {
  const inventory = await ctx.inventories.load(bundleName);
  if (!inventory) return;
  if (!(keepResources ?? inventory.keepResources)) {
    const { deletions } = planApply({ bundleName, deploymentId: inventory.deploymentId, objects: [], inventory: inventory.objects, scopeOf: () => undefined });
    const result = await prune(ctx.kube, ctx.discovery, bundleName, deletions, pruneOptions(ctx, bundleName));
    if (result.failed.length) {
      await ctx.inventories.save({ ...inventory, objects: result.failed.map((f) => f.ref) });
      throw new AgentError('PruneFailed', `removing bundle ${bundleName}: ${result.failed.length} object(s) could not be deleted; ${result.failed[0]!.message}`, {
        retryable: true,
      });
    }
    ctx.logger.info('removed the objects of a bundle that is no longer assigned', { bundle: bundleName, objects: result.removed.length });
    if (inventory.deleteNamespace) await deleteReleaseNamespace(ctx, bundleName, inventory.deleteNamespace);
  } else {
    ctx.logger.info('bundle no longer assigned; keeping its objects (keepResources)', { bundle: bundleName, objects: inventory.objects.length });
  }
  await ctx.inventories.delete(bundleName);
}
