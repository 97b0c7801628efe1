/**
 * What must change so that a bundle has exactly one deployment per targeted
 * cluster at the bundle's current revision (pure; the fan-out applies it).
 */
export interface ExistingDeployment {
  id: string;
  clusterId: string;
  desiredRevision: string;
}

export interface DeploymentPlan {
  create: string[];
  /** Deployment ids whose desired revision changes. */
  update: string[];
  /** Deployment ids of clusters no longer targeted. */
  remove: string[];
  /** Clusters whose desired state changes (to notify). */
  affectedClusters: string[];
}

export function planDeployments(revision: string, targetedClusterIds: string[], existing: ExistingDeployment[]): DeploymentPlan {
  const targeted = new Set(targetedClusterIds);
  const byCluster = new Map(existing.map((d) => [d.clusterId, d]));
  const create = targetedClusterIds.filter((id) => !byCluster.has(id));
  const update = existing.filter((d) => targeted.has(d.clusterId) && d.desiredRevision !== revision).map((d) => d.id);
  const removed = existing.filter((d) => !targeted.has(d.clusterId));
  const updatedClusters = existing.filter((d) => targeted.has(d.clusterId) && d.desiredRevision !== revision).map((d) => d.clusterId);
  return {
    create,
    update,
    remove: removed.map((d) => d.id),
    affectedClusters: [...create, ...updatedClusters, ...removed.map((d) => d.clusterId)],
  };
}
