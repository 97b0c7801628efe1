import { createHash } from 'node:crypto';
import type { DeploymentAssignment } from '@flotilla/proto';
import { deleteHooksDigest, deleteHooksOf, type KeptDeleteHooks } from '../apply/hooks/delete-hooks.js';
import { emptyInventory, mergeObjects, sameObjects, type Inventory } from '../apply/inventory.js';
import { prune, pruneOptions } from '../apply/prune.js';
import { AgentError, messageOf } from '../errors.js';
import { refKey, type ObjectRef } from '../kube/object-ref.js';
import { planRevision, type RevisionPlan } from '../plan/hooks/hook-plan.js';
import type { Plan, PlannedObject, Scope } from '../plan/plan.js';
import type { ReconcileContext } from './context.js';
import { parseContent } from './parse-content.js';
import { ensureReleaseNamespace, releaseNamespaceKey } from './release-namespace.js';
import { SyncPhases } from './sync-phases.js';

/** What one pass over a revision produced. */
export interface RevisionResult {
  /** The inventory as stored after this pass. */
  inventory: Inventory;
  /** The revision's objects as applied (for health and drift), in plan order. */
  objects: PlannedObject[];
  /** Every object of the revision, applied or not, in content order (for status). */
  refs: ObjectRef[];
  /** Objects that failed to apply or were refused, by key. */
  objectErrors: Map<string, AgentError>;
  /** The revision as a whole failed after planning (objects kept their previous state). */
  failure?: AgentError;
  /** The revision was already applied: nothing was written. */
  upToDate: boolean;
}

/**
 * One deployment's revision, as a straight line of named steps (Flux's
 * kustomize-controller shape): fetch content → parse → guard empty → plan →
 * PreSync hooks → Sync phase (main objects and Sync hooks, wave by wave) →
 * prune (highest wave first) → PostSync hooks (once healthy) → record. The
 * revision's delete hooks are kept (before anything is applied) for the bundle's
 * removal. A step that cannot continue throws an AgentError
 * with its reason (ContentFetchFailed, ContentInvalid, EmptyRevisionRefused,
 * PlanFailed); object-level failures are collected instead, so that one bad
 * object neither stops the others nor lets prune run.
 */
export async function reconcileRevision(ctx: ReconcileContext, assignment: DeploymentAssignment): Promise<RevisionResult> {
  const { bundleName, deploymentId, revision } = assignment;
  const options = assignment.options;
  const inventory = (await ctx.inventories.load(bundleName)) ?? emptyInventory(bundleName, deploymentId);

  const content = await ctx.content.get(revision);
  const objects = parseContent(revision, content);
  guardEmpty(revision, objects.length, inventory, options?.allowEmpty ?? false);
  const { plan, hooks, sync } = await makePlan(ctx, assignment, objects, inventory);
  for (const d of hooks.dropped) ctx.logger.debug('not applied', { bundle: bundleName, object: refKey(d.ref), why: d.why });

  const keptHooks = deleteHooksOf(revision, hooks);
  const hooksDigest = deleteHooksDigest(keptHooks); // refuses (HookFailed) delete hooks too large to keep

  const planned = plan.steps.flatMap((s) => s.objects);
  // An unknown kind may become known (its CRD installed by someone else): worth retrying.
  const objectErrors = new Map<string, AgentError>(plan.refused.map((r) => [r.key, new AgentError(r.reason, r.message, { retryable: r.reason === 'ApplyFailed' })]));
  const key = appliedKey(assignment, ctx.allowedNamespaces);
  const result: RevisionResult = { inventory, objects: planned, refs: plan.desiredRefs, objectErrors, upToDate: false };
  if (inventory.appliedKey === key && sameObjects(inventory.objects, plan.desiredRefs)) {
    // Already applied (e.g. by this agent before a restart): re-applying would only churn the API server.
    // Delete hooks an older agent did not keep are kept now, without running the revision again.
    if (hooksDigest !== (inventory.deleteHooksDigest ?? '')) {
      await keepDeleteHooks(ctx, inventory, keptHooks, hooksDigest);
      result.inventory = { ...inventory, deleteHooksDigest: hooksDigest };
      await ctx.inventories.save(result.inventory);
    }
    return { ...result, upToDate: true };
  }

  // Record everything this attempt may create before creating it, so nothing leaks if it fails half-way.
  const attempt: Inventory = {
    ...inventory,
    deploymentId,
    keepResources: options?.keepResources ?? false,
    deleteNamespace: options?.deleteNamespace && options.defaultNamespace ? options.defaultNamespace : '',
    deleteHooksDigest: hooksDigest,
    objects: mergeObjects(inventory.objects, plan.desiredRefs),
  };
  // The hooks before the inventory that names them: a removal never finds a digest without its hooks.
  await keepDeleteHooks(ctx, inventory, keptHooks, hooksDigest);
  await ctx.inventories.save(attempt);
  result.inventory = attempt;

  // The release namespace first (Fleet/Helm createNamespace): hooks and objects may live in it.
  const namespaceError = await ensureReleaseNamespace(ctx, assignment, plan);
  if (namespaceError) return { ...result, failure: namespaceError };

  const phases = new SyncPhases(ctx, assignment, hooks);
  const refusedHook = hooks.refused[0];
  if (refusedHook) return { ...result, failure: new AgentError('HookFailed', `hook ${refusedHook.message}`, { retryable: refusedHook.reason === 'ApplyFailed' }) };
  // A failed PreSync hook leaves every main object as it was (Argo CD's phases).
  const preSync = await phases.run('PreSync');
  if (preSync) return { ...result, failure: preSync };

  // Main objects and Sync hooks (argocd.argoproj.io/hook: Sync), wave by wave.
  const syncFailure = await phases.sync(sync, objectErrors);
  if (objectErrors.size > 0) return result; // no prune on a failed revision: the previous objects stay
  if (syncFailure) return { ...result, failure: syncFailure };

  const leftovers = await pruneLeftovers(ctx, bundleName, plan, options?.keepResources ?? false);
  // PostSync hooks wait until the main objects are healthy.
  const postSync = leftovers.length ? undefined : await phases.postSync();
  const done: Inventory = {
    ...attempt,
    appliedRevision: revision,
    // Not recorded as applied while hooks failed: a restarted agent runs the revision (and its hooks) again.
    appliedKey: leftovers.length || postSync ? '' : key,
    objects: mergeObjects(plan.desiredRefs, leftovers.map((l) => l.ref)),
  };
  await ctx.inventories.save(done);
  result.inventory = done;
  if (postSync) result.failure = postSync;
  if (leftovers.length) {
    const first = leftovers[0]!;
    result.failure = new AgentError('PruneFailed', `${leftovers.length} object(s) that left the bundle could not be deleted; ${first.message}`, { retryable: true });
  }
  return result;
}

/** Writes (or deletes, for none) the kept delete hooks when they differ from what the inventory records. */
async function keepDeleteHooks(ctx: ReconcileContext, inventory: Inventory, kept: KeptDeleteHooks, digest: string): Promise<void> {
  if (digest === (inventory.deleteHooksDigest ?? '')) return;
  if (digest) await ctx.inventories.deleteHooks.save(inventory.bundleName, kept);
  else await ctx.inventories.deleteHooks.delete(inventory.bundleName);
}

function guardEmpty(revision: string, count: number, inventory: Inventory, allowEmpty: boolean): void {
  if (count > 0 || inventory.objects.length === 0 || allowEmpty) return;
  throw new AgentError(
    'EmptyRevisionRefused',
    `revision ${revision} has no objects while ${inventory.objects.length} are applied; nothing was changed or deleted. ` +
      'If the bundle is meant to be empty, set allowEmpty in its options (fleet.yaml: allowEmpty: true)',
  );
}

async function makePlan(ctx: ReconcileContext, a: DeploymentAssignment, objects: ReturnType<typeof parseContent>, inventory: Inventory): Promise<RevisionPlan> {
  const scopes = new Map<string, Scope | undefined>();
  try {
    for (const obj of objects) {
      const id = `${obj.apiVersion}|${obj.kind}`;
      if (scopes.has(id)) continue;
      const info = await ctx.discovery.lookup(obj.apiVersion!, obj.kind!);
      scopes.set(id, info ? (info.namespaced ? 'Namespaced' : 'Cluster') : undefined);
    }
  } catch (error) {
    throw new AgentError('PlanFailed', `cannot discover the API server's kinds: ${messageOf(error)}`, { cause: error, retryable: true });
  }
  return planRevision({
    bundleName: a.bundleName,
    deploymentId: a.deploymentId,
    objects,
    inventory: inventory.objects,
    scopeOf: (apiVersion, kind) => scopes.get(`${apiVersion}|${kind}`),
    defaultNamespace: a.options?.defaultNamespace ?? '',
    forceNamespace: a.options?.forceNamespace ?? false,
    ...(ctx.allowedNamespaces ? { allowedNamespaces: ctx.allowedNamespaces } : {}),
  });
}

/** Prunes what left the bundle (or only forgets it with keepResources); returns what is still there. */
async function pruneLeftovers(ctx: ReconcileContext, bundleName: string, plan: Plan, keepResources: boolean) {
  if (keepResources || plan.deletions.length === 0) return [];
  const pruned = await prune(ctx.kube, ctx.discovery, bundleName, plan.deletions, pruneOptions(ctx, bundleName));
  for (const ref of pruned.removed) ctx.logger.info('pruned', { bundle: bundleName, object: refKey(ref) });
  return pruned.failed;
}

/**
 * Fingerprint of an applied revision: equal fingerprints render equal
 * objects. Covers what changes the applied objects besides the content.
 */
export function appliedKey(a: DeploymentAssignment, allowedNamespaces: string[] | undefined): string {
  return createHash('sha256')
    .update([a.revision, a.deploymentId, a.bundleName, a.options?.defaultNamespace ?? '', (allowedNamespaces ?? []).join(','), releaseNamespaceKey(a)].join('\0'))
    .digest('hex')
    .slice(0, 32);
}
