/** Generator kinds that never read clusters. */
const CLUSTER_FREE = new Set(['list', 'gitDirectories', 'gitFiles']);
const KINDS = new Set([...CLUSTER_FREE, 'clusters', 'matrix', 'merge']);

type Entry = Readonly<Record<string, unknown>>;

function kindOf(entry: Entry): string | undefined {
  return Object.keys(entry).find((k) => KINDS.has(k) && entry[k] !== undefined);
}

function children(entry: Entry, kind: string): Entry[] {
  return ((entry[kind] as { generators?: Entry[] } | undefined)?.generators ?? []) as Entry[];
}

/** True when the entry (or a child of it) is a `clusters` generator. */
export function readsClusters(entry: Entry): boolean {
  const kind = kindOf(entry);
  if (kind === 'clusters') return true;
  if (kind === 'matrix' || kind === 'merge') return children(entry, kind).some(readsClusters);
  return false;
}

/**
 * True when every parameter set that depends on clusters depends on exactly
 * one, so a cluster's join, relabel or removal changes only the sets (and
 * bundles) made from it: every entry reads no cluster, is a `clusters`
 * generator, or is a matrix of a `clusters` generator and a child that reads
 * none (either order: the other child may use the cluster's parameters).
 * A merge over clusters (which joins sets across entries) or a deeper nesting
 * is not: such a BundleSet is always evaluated whole.
 */
export function clusterSeparable(entries: readonly Entry[]): boolean {
  return entries.every((entry) => {
    if (!readsClusters(entry)) return true;
    const kind = kindOf(entry);
    if (kind === 'clusters') return true;
    if (kind !== 'matrix') return false;
    const kids = children(entry, kind);
    return kids.length === 2 && kids.filter((k) => kindOf(k) === 'clusters').length === 1 && kids.filter(readsClusters).length === 1;
  });
}
