import { refKey, type ObjectRef } from '../kube/object-ref.js';

/**
 * What the agent has applied for one bundle, kept in the cluster so that a
 * restarted agent knows what it owns (Flux's inventory). Everything prune does
 * is computed from it with the pure functions below.
 */
export interface Inventory {
  bundleName: string;
  deploymentId: string;
  /** Revision last applied completely; `''` before the first complete apply. */
  appliedRevision: string;
  /**
   * Fingerprint of what was applied (revision + deployment + options that
   * change rendered objects): equal keys mean a restarted agent has nothing
   * to re-apply.
   */
  appliedKey: string;
  /** The deployment's keepResources when last applied, needed to remove it after the hub forgot it. */
  keepResources: boolean;
  /** The release namespace to delete with the bundle (fleet.yaml deleteNamespace), `''` for none. */
  deleteNamespace?: string;
  /** Fingerprint of the delete hooks kept for the bundle's removal (delete-hooks.store.ts), `''` for none. */
  deleteHooksDigest?: string;
  /** Every object that may exist because of this bundle. */
  objects: ObjectRef[];
}

export function emptyInventory(bundleName: string, deploymentId: string): Inventory {
  return { bundleName, deploymentId, appliedRevision: '', appliedKey: '', keepResources: false, objects: [] };
}

/**
 * Union of two object sets; for the same object the later apiVersion wins.
 * While a revision is not completely applied the inventory is this union, so
 * an object created by a failed attempt is never forgotten (and never leaks).
 */
export function mergeObjects(a: ObjectRef[], b: ObjectRef[]): ObjectRef[] {
  return uniqueObjects([...a, ...b]);
}

/** Same objects, ignoring order, duplicates and apiVersion. */
export function sameObjects(a: ObjectRef[], b: ObjectRef[]): boolean {
  const ka = new Set(a.map(refKey));
  const kb = new Set(b.map(refKey));
  return ka.size === kb.size && [...ka].every((k) => kb.has(k));
}

function uniqueObjects(refs: ObjectRef[]): ObjectRef[] {
  const byKey = new Map<string, ObjectRef>();
  for (const ref of refs) {
    const key = refKey(ref);
    byKey.delete(key); // keep the position of the last occurrence
    byKey.set(key, ref);
  }
  return [...byKey.values()].sort((x, y) => refKey(x).localeCompare(refKey(y)));
}

/** The compact form stored in the ConfigMap: one `apiVersion kind namespace name` line per object. */
export function encodeObjects(refs: ObjectRef[]): string {
  return uniqueObjects(refs)
    .map((r) => `${r.apiVersion} ${r.kind} ${r.namespace || '-'} ${r.name}`)
    .join('\n');
}

export function decodeObjects(text: string): ObjectRef[] {
  const refs: ObjectRef[] = [];
  for (const line of text.split('\n')) {
    const [apiVersion, kind, namespace, name] = line.trim().split(' ');
    if (!apiVersion || !kind || !namespace || !name) continue;
    refs.push({ apiVersion, kind, namespace: namespace === '-' ? '' : namespace, name });
  }
  return refs;
}
