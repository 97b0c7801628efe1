import type { Labels } from '@flotilla/core';
import type { BundleDependency } from '@flotilla/render';
import { displayedStateSql } from './displayed-state.js';
import { dependenciesMet, resolveDependencies, type DependencyNode, type DependencyState } from './plan/dependencies.js';
import type { RolloutSettings, Tx } from './rollout-reads.js';

export interface DependencyCheck {
  /** The bundles of a dependsOn cycle through this one (nothing is deployed while it lasts). */
  cycle?: string[];
  met(clusterId: string): { met: boolean; waitingFor?: string };
}

const ALL_MET: DependencyCheck = { met: () => ({ met: true }) };

/**
 * dependsOn of a bundle against PostgreSQL: the bundles it names or selects
 * (labels from the API and from fleet.yaml), and their displayed states on
 * the given clusters. Reads nothing when the bundle depends on nothing.
 */
export async function readDependencyStates(tx: Tx, bundleId: string, settings: RolloutSettings, clusterIds: string[]): Promise<DependencyCheck> {
  if (settings.dependsOn.length === 0) return ALL_MET;
  const rows = await tx.$queryRaw<{ id: string; name: string; labels: Labels; fy_labels: Labels | null; depends_on: BundleDependency[] | null; fy_depends_on: BundleDependency[] | null }[]>`
    SELECT b.id::text, b.name, b.labels, s.fleet_yaml->'labels' AS fy_labels, b.depends_on, s.fleet_yaml->'dependsOn' AS fy_depends_on
    FROM bundles b LEFT JOIN bundle_sources s ON s.id = b.source_id`;
  const nodes: DependencyNode[] = rows.map((r) => ({
    id: r.id,
    name: r.name,
    labels: { ...r.labels, ...(r.fy_labels ?? {}) },
    dependsOn: r.fy_depends_on ?? r.depends_on ?? [],
  }));
  const self = nodes.find((n) => n.id === bundleId);
  if (!self) return ALL_MET;
  const resolved = resolveDependencies({ ...self, dependsOn: settings.dependsOn }, nodes);
  if (!resolved.ok) return { cycle: resolved.cycle, met: () => ({ met: false, waitingFor: 'dependsOn cycle' }) };
  const depIds = [...new Set(resolved.deps.flatMap((d) => d.bundleIds))];
  const states = depIds.length
    ? await tx.$queryRaw<DependencyState[]>`
        SELECT d.bundle_id::text AS "bundleId", d.cluster_id::text AS "clusterId", ${displayedStateSql('d')} AS state
        FROM deployments d WHERE d.bundle_id = ANY(${depIds}::uuid[]) AND d.cluster_id = ANY(${clusterIds}::uuid[])`
    : [];
  return { met: (clusterId) => dependenciesMet(resolved.deps, states, clusterId) };
}
