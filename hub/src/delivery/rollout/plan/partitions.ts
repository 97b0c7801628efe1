import { matchesSelector } from '@flotilla/core';
import { matchesTarget, type GroupSelectors, type TargetableCluster } from '../../../target/bundle-target.js';
import { limit, ROLLOUT_DEFAULTS, type PartitionSpec, type RolloutStrategy } from './rollout-strategy.js';

/** Clusters of one partition, in rollout order. */
export interface Partition<T> {
  name: string;
  maxUnavailable: number;
  requireApproval: boolean;
  targets: T[];
}

/** The name of the partition for clusters outside every named one (see docs/rollouts.md). */
export const UNPARTITIONED = 'unpartitioned';

/**
 * Splits the targets into partitions (pure). Named partitions take their
 * clusters in order (a cluster in several goes to the first). Unlike Fleet's
 * code, which never updates clusters outside every named partition, those
 * form a last partition, `unpartitioned`, so no targeted cluster is left
 * behind. Without named partitions, Fleet's auto-partitioning: one "All"
 * partition below `autoPartitionThreshold` (200) targets, else partitions of
 * `autoPartitionSize` (25 %) in the targets' order.
 */
export function partitionTargets<T extends { cluster: TargetableCluster }>(strategy: RolloutStrategy, targets: T[], groups: GroupSelectors): Partition<T>[] {
  const fallback = strategy.maxUnavailable ?? ROLLOUT_DEFAULTS.maxUnavailable;
  const named = strategy.partitions ?? [];
  if (named.length === 0) return autoPartitions(strategy, targets, fallback);
  const taken = new Set<T>();
  const out: Partition<T>[] = named.map((spec) => {
    const mine = targets.filter((t) => !taken.has(t) && inPartition(spec, t.cluster, groups));
    for (const t of mine) taken.add(t);
    return partition(spec.name, mine, spec.maxUnavailable ?? fallback, spec.requireApproval ?? false);
  });
  const rest = targets.filter((t) => !taken.has(t));
  if (rest.length) out.push(partition(UNPARTITIONED, rest, fallback, false));
  return out;
}

function autoPartitions<T>(strategy: RolloutStrategy, targets: T[], maxUnavailable: number | string): Partition<T>[] {
  const threshold = strategy.autoPartitionThreshold ?? ROLLOUT_DEFAULTS.autoPartitionThreshold;
  const size = strategy.autoPartitionSize;
  const disabled = (typeof size === 'number' && size <= 0) || threshold <= 0 || targets.length < threshold;
  if (disabled) return [partition('All', targets, maxUnavailable, false)];
  const max = limit(targets.length, size, ROLLOUT_DEFAULTS.autoPartitionSize, 'autoPartitionSize');
  const out: Partition<T>[] = [];
  for (let offset = 0; offset < targets.length; offset += max) {
    const slice = targets.slice(offset, offset + max);
    out.push(partition(`Partition ${offset} - ${offset + slice.length}`, slice, maxUnavailable, false));
  }
  return out;
}

function partition<T>(name: string, targets: T[], maxUnavailable: number | string, requireApproval: boolean): Partition<T> {
  return { name, targets, requireApproval, maxUnavailable: limit(targets.length, maxUnavailable, ROLLOUT_DEFAULTS.maxUnavailable) };
}

/** Fleet's cluster matcher for a partition: every criterion given must match. Groups have no labels here, so only `{}` selects groups. */
function inPartition(spec: PartitionSpec, cluster: TargetableCluster, groups: GroupSelectors): boolean {
  const { clusterName, clusterSelector, clusterGroup, clusterGroupSelector } = spec;
  if (clusterName === undefined && clusterSelector === undefined && clusterGroup === undefined && clusterGroupSelector === undefined) return false;
  if (!matchesTarget({ clusterName, clusterSelector, clusterGroup }, cluster, groups)) return false;
  if (clusterGroupSelector !== undefined) {
    const empty = !clusterGroupSelector.matchLabels && !clusterGroupSelector.matchExpressions?.length;
    if (!empty) return false;
    return [...groups.values()].some((s) => matchesSelector(s, cluster.labels));
  }
  return true;
}
