/*
 * What must change so that a bundle has exactly one deployment per targeted
 * cluster with the revision that cluster should run staged (pure; the fan-out
 * applies it, the rollout deploys it).
 */

/** A deployment as the fan-out sees it: what is staged for its cluster (the rollout deploys it when its turn comes). */
export interface ExistingDeployment {
  id: string;
  clusterId: string;
  stagedRevision: string;
  stagedRenderKey?: string | null;
  stagedOptions?: unknown;
}

/** What one cluster should run: the same for every cluster of a bundle of objects, per customisation when rendered. */
export interface DesiredDeployment {
  revision: string;
  /** The customisation key of a rendered bundle's revision; null for ready objects. */
  renderKey: string | null;
  /** Agent options of this deployment when they differ per cluster; null = the bundle's options. */
  options: Record<string, unknown> | null;
}

/** Deployments that get the same new desired values: written with one statement. */
export interface DeploymentUpdate {
  desired: DesiredDeployment;
  ids: string[];
  /** The clusters of those deployments, in the same order. */
  clusterIds: string[];
}

export interface DeploymentPlan {
  create: { clusterId: string; desired: DesiredDeployment }[];
  update: DeploymentUpdate[];
  /** Deployment ids of clusters no longer targeted. */
  remove: string[];
  /** Clusters whose deployment is removed: their agents' desired state changes now (staging changes none). */
  removedClusters: string[];
}

/**
 * `desired` holds every targeted cluster that has something to run; clusters
 * in `keep` (their render is not done yet) keep whatever deployment they have,
 * untouched, and get none created: a render in progress never removes or
 * changes what a cluster runs.
 */
export function planDeployments(
  desired: ReadonlyMap<string, DesiredDeployment>,
  existing: ExistingDeployment[],
  keep: ReadonlySet<string> = new Set(),
): DeploymentPlan {
  const byCluster = new Map(existing.map((d) => [d.clusterId, d]));
  const create = [...desired].filter(([clusterId]) => !byCluster.has(clusterId)).map(([clusterId, d]) => ({ clusterId, desired: d }));
  const updates = new Map<string, DeploymentUpdate>();
  const removed: ExistingDeployment[] = [];
  for (const d of existing) {
    const want = desired.get(d.clusterId);
    if (!want) {
      if (!keep.has(d.clusterId)) removed.push(d);
      continue;
    }
    if (sameDesired(d, want)) continue;
    const group = JSON.stringify([want.revision, want.renderKey, want.options]);
    const update = updates.get(group) ?? { desired: want, ids: [], clusterIds: [] };
    update.ids.push(d.id);
    update.clusterIds.push(d.clusterId);
    updates.set(group, update);
  }
  return {
    create,
    update: [...updates.values()],
    remove: removed.map((d) => d.id),
    removedClusters: removed.map((d) => d.clusterId),
  };
}

/** The same desired value for every cluster (a bundle of ready objects). */
export function uniformDesired(revision: string, clusterIds: string[]): Map<string, DesiredDeployment> {
  const desired: DesiredDeployment = { revision, renderKey: null, options: null };
  return new Map(clusterIds.map((id) => [id, desired]));
}

function sameDesired(d: ExistingDeployment, want: DesiredDeployment): boolean {
  return (
    d.stagedRevision === want.revision &&
    (d.stagedRenderKey ?? null) === want.renderKey &&
    JSON.stringify(d.stagedOptions ?? null) === JSON.stringify(want.options)
  );
}
