import type { KubernetesObject } from '@kubernetes/client-node';
import { sleep } from '../connection/sleep.js';
import { messageOf } from '../errors.js';
import { isNotFound } from '../kube/kube-api-error.js';
import { getIfExists } from '../kube/get-if-exists.js';
import type { KubeClient } from '../kube/kube-client.js';
import { BUNDLE_LABEL, describeRef, type ObjectRef } from '../kube/object-ref.js';
import { waveOf } from '../plan/plan.js';
import { pruneWaves } from '../plan/prune-waves.js';
import { objectPath, type Discovery } from './discovery.js';
import { DEFAULT_HOOK_TIMEOUT_MS } from './hooks/hook.runner.js';

export interface PruneResult {
  /** Objects gone (deleted now, or already absent, or now owned by another bundle). */
  removed: ObjectRef[];
  /** Objects that could not be deleted; they stay in the inventory for the next attempt. */
  failed: { ref: ObjectRef; message: string }[];
}

/** The prune options of a reconcile: waves waited for as long as a hook may take, a slow one logged. */
export function pruneOptions(ctx: { hookTimeoutMs?: number; logger: { warn: (message: string, fields?: Record<string, unknown>) => void } }, bundleName: string): PruneOptions {
  return {
    waveWaitMs: ctx.hookTimeoutMs || DEFAULT_HOOK_TIMEOUT_MS,
    onSlowWave: (wave, pending) =>
      ctx.logger.warn('objects of a pruned wave are not gone yet (finalizers?); deleting the next wave anyway', { bundle: bundleName, wave, pending: pending.map(describeRef) }),
  };
}

export interface PruneOptions {
  /** How long a wave's deleted objects are waited for (finalizers) before the next wave is deleted anyway. */
  waveWaitMs: number;
  /** How often they are read meanwhile. Default 500 ms. */
  pollMs?: number;
  /** Told when a wave's objects were not gone in time. */
  onSlowWave?: (wave: number, pending: ObjectRef[]) => void;
}

/**
 * Deletes objects that left the bundle, wave by wave in reverse (the live
 * object's `flotilla.dev/wave` or `argocd.argoproj.io/sync-wave`: plan/prune-waves.ts),
 * each wave's deletions finished (its objects gone) before the next wave's
 * start, up to `waveWaitMs`. An object is only deleted when its
 * `flotilla.dev/bundle` label still names this bundle: if someone handed it
 * to another bundle meanwhile, it is left alone.
 */
export async function prune(kube: KubeClient, discovery: Discovery, bundleName: string, refs: ObjectRef[], options: PruneOptions): Promise<PruneResult> {
  const result: PruneResult = { removed: [], failed: [] };
  const found: { ref: ObjectRef; wave: number; path: string }[] = [];
  for (const ref of refs) {
    try {
      const info = await discovery.lookup(ref.apiVersion, ref.kind);
      // The kind is gone (its CRD was deleted), and its objects with it.
      const path = info ? objectPath(ref, info) : '';
      const live = info ? await getIfExists(kube, path) : undefined;
      if (live && live.metadata?.labels?.[BUNDLE_LABEL] === bundleName) found.push({ ref, wave: liveWave(live), path });
      else result.removed.push(ref);
    } catch (error) {
      result.failed.push({ ref, message: `${describeRef(ref)}: ${messageOf(error)}` });
    }
  }
  const paths = new Map(found.map((f) => [f.ref, f.path]));
  const waves = pruneWaves(found);
  for (const [i, { wave, refs: group }] of waves.entries()) {
    const deleted: ObjectRef[] = [];
    for (const ref of group) {
      try {
        await kube.request('DELETE', paths.get(ref)!, { body: { propagationPolicy: 'Background' } }).catch((error: unknown) => {
          if (!isNotFound(error)) throw error;
        });
        deleted.push(ref);
        result.removed.push(ref);
      } catch (error) {
        result.failed.push({ ref, message: `${describeRef(ref)}: ${messageOf(error)}` });
      }
    }
    if (i < waves.length - 1) await waitGone(kube, deleted, paths, wave, options);
  }
  return result;
}

/** The live object's wave; one edited by hand to a non-integer counts as 0 (the content parser refuses those). */
function liveWave(live: KubernetesObject): number {
  const wave = waveOf(live);
  return Number.isInteger(wave) ? wave : 0;
}

/** Waits until the deleted objects are gone (their finalizers ran), up to the bound. */
async function waitGone(kube: KubeClient, refs: ObjectRef[], paths: Map<ObjectRef, string>, wave: number, options: PruneOptions): Promise<void> {
  const deadline = Date.now() + options.waveWaitMs;
  let pending = refs;
  while (pending.length > 0) {
    const still: ObjectRef[] = [];
    for (const ref of pending) {
      const live = await getIfExists(kube, paths.get(ref)!).catch(() => undefined);
      if (live) still.push(ref);
    }
    pending = still;
    if (pending.length === 0) return;
    if (Date.now() >= deadline) {
      options.onSlowWave?.(wave, pending);
      return;
    }
    await sleep(Math.min(options.pollMs ?? 500, Math.max(0, deadline - Date.now())));
  }
}
