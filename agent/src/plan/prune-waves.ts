import type { ObjectRef } from '../kube/object-ref.js';

/**
 * The order objects that left the bundle are deleted in: grouped by the wave
 * of their live object, highest wave first — the reverse of the order they
 * were created in, as Argo CD prunes (gitops-engine `sync_context.go` swaps the
 * prune waves symmetrically) — each group in the plan's order (namespaced
 * objects, cluster-scoped ones, namespaces, CRDs). Pure.
 */
export function pruneWaves(deletions: readonly { ref: ObjectRef; wave: number }[]): { wave: number; refs: ObjectRef[] }[] {
  const byWave = new Map<number, ObjectRef[]>();
  for (const d of deletions) byWave.set(d.wave, [...(byWave.get(d.wave) ?? []), d.ref]);
  return [...byWave.entries()].sort(([a], [b]) => b - a).map(([wave, refs]) => ({ wave, refs }));
}
