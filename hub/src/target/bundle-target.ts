import { matchesSelector, type LabelSelector, type Labels } from '@flotilla/core';
import { DomainError } from '../platform/errors/domain-error.js';
import { assertValidSelector } from './label.validation.js';

/**
 * One entry of a bundle's `targets`, as in Fleet's GitRepo/fleet.yaml
 * targets: every field given must match (AND); a bundle targets a cluster
 * when any entry matches (OR). An empty list targets no cluster.
 */
export interface BundleTarget {
  clusterName?: string;
  clusterSelector?: LabelSelector;
  clusterGroup?: string;
}

export interface TargetableCluster {
  id: string;
  name: string;
  labels: Labels;
}

/** Group name → selector. */
export type GroupSelectors = ReadonlyMap<string, LabelSelector>;

export function matchesTarget(target: BundleTarget, cluster: TargetableCluster, groups: GroupSelectors): boolean {
  if (target.clusterName !== undefined && target.clusterName !== cluster.name) return false;
  if (target.clusterSelector !== undefined && !matchesSelector(target.clusterSelector, cluster.labels)) return false;
  if (target.clusterGroup !== undefined) {
    // A group that does not exist (any more) matches nothing.
    const selector = groups.get(target.clusterGroup);
    if (!selector || !matchesSelector(selector, cluster.labels)) return false;
  }
  return true;
}

/** The clusters a bundle's targets select (pure). */
export function targetedClusters<C extends TargetableCluster>(targets: BundleTarget[], clusters: C[], groups: GroupSelectors): C[] {
  return clusters.filter((cluster) => targets.some((t) => matchesTarget(t, cluster, groups)));
}

/** Rejects targets with no field, or with invalid selectors, naming the entry. */
export function assertValidTargets(targets: BundleTarget[], field = 'targets'): void {
  targets.forEach((t, i) => {
    if (t.clusterName === undefined && t.clusterSelector === undefined && t.clusterGroup === undefined) {
      throw new DomainError('InvalidTarget', `${field}[${i}] needs clusterName, clusterSelector or clusterGroup`, { field: `${field}[${i}]` });
    }
    if (t.clusterSelector) assertValidSelector(t.clusterSelector, `${field}[${i}].clusterSelector`);
  });
}
