import { deleteHooksDigest, type KeptDeleteHooks } from '../apply/hooks/delete-hooks.js';
import { DEFAULT_HOOK_TIMEOUT_MS, HookRunner } from '../apply/hooks/hook.runner.js';
import type { Inventory } from '../apply/inventory.js';
import { prune, pruneOptions } from '../apply/prune.js';
import { AgentError } from '../errors.js';
import { wavesOf, type RunPhase } from '../plan/hooks/hook-plan.js';
import { planApply } from '../plan/plan.js';
import type { ReconcileContext } from './context.js';
import { deleteReleaseNamespace } from './release-namespace.js';

/**
 * Removes a deployment the hub no longer assigns, as Argo CD deletes an
 * Application: the PreDelete hooks kept from its last revision run to
 * completion; then every object in its inventory is deleted (highest wave
 * first; in a wave namespaced objects first, CRDs last); then the PostDelete
 * hooks run; then the release namespace (deleteNamespace), the kept hooks and
 * the inventory go. With keepResources nothing is deleted and no hook runs
 * (Fleet does not uninstall the release). A failed step throws, leaves what
 * is not done recorded (a PreDelete hook that failed deletes nothing) and the
 * removal is retried on the next resync from where it stopped: hooks that
 * completed do not run again.
 *
 * @param keepResources the deployment's option when known; else the one recorded in the inventory
 */
export async function removeDeployment(ctx: ReconcileContext, bundleName: string, keepResources?: boolean): Promise<void> {
  let inventory = await ctx.inventories.load(bundleName);
  if (!inventory) return;
  if (keepResources ?? inventory.keepResources) {
    ctx.logger.info('bundle no longer assigned; keeping its objects (keepResources)', { bundle: bundleName, objects: inventory.objects.length });
  } else {
    let hooks = await keptHooks(ctx, inventory);
    if (hooks) {
      await runDeleteHooks(ctx, bundleName, hooks, 'PreDelete', 'its objects were not deleted');
      // Completed: a retried removal goes on from the deletion.
      ({ hooks, inventory } = await forget(ctx, inventory, hooks, 'PreDelete'));
    }
    const { deletions } = planApply({ bundleName, deploymentId: inventory.deploymentId, objects: [], inventory: inventory.objects, scopeOf: () => undefined });
    const result = await prune(ctx.kube, ctx.discovery, bundleName, deletions, pruneOptions(ctx, bundleName));
    inventory = { ...inventory, objects: result.failed.map((f) => f.ref) };
    if (result.failed.length) {
      await ctx.inventories.save(inventory);
      throw new AgentError('PruneFailed', `removing bundle ${bundleName}: ${result.failed.length} object(s) could not be deleted; ${result.failed[0]!.message}`, {
        retryable: true,
      });
    }
    ctx.logger.info('removed the objects of a bundle that is no longer assigned', { bundle: bundleName, objects: result.removed.length });
    if (hooks?.hooks.length) {
      // Saved first: a retry after a failed PostDelete hook has nothing left to delete.
      await ctx.inventories.save(inventory);
      await runDeleteHooks(ctx, bundleName, hooks, 'PostDelete', 'its objects were deleted');
    }
    if (inventory.deleteNamespace) await deleteReleaseNamespace(ctx, bundleName, inventory.deleteNamespace);
  }
  if (inventory.deleteHooksDigest) await ctx.inventories.deleteHooks.delete(bundleName);
  await ctx.inventories.delete(bundleName);
}

/** The delete hooks the inventory says are kept; a missing Secret means none (someone removed it to skip them). */
async function keptHooks(ctx: ReconcileContext, inventory: Inventory): Promise<KeptDeleteHooks | undefined> {
  if (!inventory.deleteHooksDigest) return undefined;
  const kept = await ctx.inventories.deleteHooks.load(inventory.bundleName);
  if (!kept) ctx.logger.warn('the delete hooks kept for the bundle are gone; removing it without them', { bundle: inventory.bundleName });
  return kept;
}

async function runDeleteHooks(ctx: ReconcileContext, bundleName: string, kept: KeptDeleteHooks, phase: RunPhase, consequence: string): Promise<void> {
  const hooks = kept.hooks.filter((h) => h.phase === phase);
  if (hooks.length === 0) return;
  const { kube, discovery, logger } = ctx;
  const runner = new HookRunner({ kube, discovery, bundleName, revision: kept.revision, logger, timeoutMs: ctx.hookTimeoutMs || DEFAULT_HOOK_TIMEOUT_MS });
  const failure = await runner.runPhase(wavesOf(phase, hooks));
  if (failure) throw new AgentError('HookFailed', `removing bundle ${bundleName}: ${failure.message}; ${consequence}, retrying at the next resync`, { retryable: true });
  logger.info(`${phase} hooks completed`, { bundle: bundleName, hooks: hooks.length });
}

/** Drops one phase's hooks from what is kept, and from the inventory's digest. */
async function forget(ctx: ReconcileContext, inventory: Inventory, kept: KeptDeleteHooks, phase: RunPhase) {
  const hooks = { ...kept, hooks: kept.hooks.filter((h) => h.phase !== phase) };
  if (hooks.hooks.length === kept.hooks.length) return { hooks, inventory };
  const digest = deleteHooksDigest(hooks);
  if (digest) await ctx.inventories.deleteHooks.save(inventory.bundleName, hooks);
  else await ctx.inventories.deleteHooks.delete(inventory.bundleName);
  const next = { ...inventory, deleteHooksDigest: digest };
  await ctx.inventories.save(next);
  return { hooks, inventory: next };
}
