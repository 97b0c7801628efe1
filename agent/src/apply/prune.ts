import { messageOf } from '../errors.js';
import { isNotFound } from '../kube/kube-api-error.js';
import { getIfExists } from '../kube/get-if-exists.js';
import type { KubeClient } from '../kube/kube-client.js';
import { BUNDLE_LABEL, describeRef, type ObjectRef } from '../kube/object-ref.js';
import { objectPath, type Discovery } from './discovery.js';

export interface PruneResult {
  /** Objects gone (deleted now, or already absent, or now owned by another bundle). */
  removed: ObjectRef[];
  /** Objects that could not be deleted; they stay in the inventory for the next attempt. */
  failed: { ref: ObjectRef; message: string }[];
}

/**
 * Deletes objects that left the bundle, in the given order. An object is only
 * deleted when its `flotilla.dev/bundle` label still names this bundle: if
 * someone handed it to another bundle meanwhile, it is left alone.
 */
export async function prune(kube: KubeClient, discovery: Discovery, bundleName: string, refs: ObjectRef[]): Promise<PruneResult> {
  const result: PruneResult = { removed: [], failed: [] };
  for (const ref of refs) {
    try {
      const info = await discovery.lookup(ref.apiVersion, ref.kind);
      // The kind is gone (its CRD was deleted), and its objects with it.
      if (!info) {
        result.removed.push(ref);
        continue;
      }
      const path = objectPath(ref, info);
      const live = await getIfExists(kube, path);
      if (live && live.metadata?.labels?.[BUNDLE_LABEL] === bundleName) {
        await kube.request('DELETE', path, { body: { propagationPolicy: 'Background' } }).catch((error: unknown) => {
          if (!isNotFound(error)) throw error;
        });
      }
      result.removed.push(ref);
    } catch (error) {
      result.failed.push({ ref, message: `${describeRef(ref)}: ${messageOf(error)}` });
    }
  }
  return result;
}
