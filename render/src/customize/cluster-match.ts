import { matchesSelector } from '@flotilla/core';
import type { BundleTarget } from '../fleet-yaml/fleet-yaml.types.js';
import type { ClusterContext } from './cluster-context.types.js';

/** Rancher's display-name label: `clusterName` also matches it (Fleet's ClusterMatcher). */
export const CLUSTER_DISPLAY_NAME_LABEL = 'management.cattle.io/cluster-display-name';

/**
 * Whether a target customisation (or any BundleTarget) matches a cluster, as Fleet's `ClusterMatcher`:
 * every set criterion must hold (AND); a `null` selector is no criterion, `{}` matches everything; an
 * entry with no criterion at all matches nothing. Group criteria must hold for one and the same group;
 * a cluster in no group is tested once with no group name and no group labels.
 */
export function matchesTarget(target: BundleTarget, cluster: ClusterContext): boolean {
  const criteria: ((group: { name: string; labels: Record<string, string> } | undefined) => boolean)[] = [];
  if (target.clusterName) {
    const name = target.clusterName;
    criteria.push(() => cluster.name === name || cluster.labels[CLUSTER_DISPLAY_NAME_LABEL] === name);
  }
  if (target.clusterGroup) {
    const groupName = target.clusterGroup;
    criteria.push((g) => g?.name === groupName);
  }
  if (target.clusterGroupSelector) {
    const selector = target.clusterGroupSelector;
    criteria.push((g) => matchesSelector(selector, g?.labels ?? {}));
  }
  if (target.clusterSelector) {
    const selector = target.clusterSelector;
    criteria.push(() => matchesSelector(selector, cluster.labels));
  }
  if (criteria.length === 0) return false;
  const groups = cluster.groups?.length ? cluster.groups : [undefined];
  return groups.some((g) => criteria.every((c) => c(g)));
}
