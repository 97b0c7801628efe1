import type { ClusterContext } from './cluster-context.types.js';

/** Fleet's default cluster namespace when a ClusterContext names none. */
export const DEFAULT_CLUSTER_NAMESPACE = 'fleet-default';

/**
 * The data a fleet.yaml `${ }` template sees, as Fleet's `preprocessHelmValues` builds it. Labels and
 * annotations pass wrangler's `CleanAnnotationsForExport` first (keys under `kubectl.kubernetes.io/` or
 * containing `cattle.io/` dropped); labels under `fleet.cattle.io/` and `management.cattle.io/` are kept.
 */
export function templateContext(cluster: ClusterContext): Record<string, unknown> {
  return {
    ClusterNamespace: cluster.namespace ?? DEFAULT_CLUSTER_NAMESPACE,
    ClusterName: cluster.name,
    ClusterLabels: exportLabels(cluster.labels),
    ClusterAnnotations: cleanForExport(cluster.annotations ?? {}),
    ClusterValues: cluster.values ?? {},
  };
}

/** Labels as `global.fleet.clusterLabels.<key>` value references and `.ClusterLabels` see them. */
export function exportLabels(labels: Record<string, string>): Record<string, string> {
  const out = cleanForExport(labels);
  for (const [k, v] of Object.entries(labels)) {
    if (k.startsWith('fleet.cattle.io/') || k.startsWith('management.cattle.io/')) out[k] = v;
  }
  return out;
}

function cleanForExport(map: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(map)) {
    if (k.startsWith('kubectl.kubernetes.io/') || k.includes('cattle.io/')) continue;
    out[k] = v;
  }
  return out;
}
