import { createHash } from 'node:crypto';
import { matchesSelector, type ComparePatchInput } from '@flotilla/core';
import { customizeForCluster, isRenderError, type ClusterContext, type DeploymentOptions, type FleetYaml } from '@flotilla/render';
import type { BundleTarget, GroupSelectors, TargetableCluster } from './bundle-target.js';

/**
 * Per-cluster customisation of a directory bundle (pure): which clusters share
 * a render, and with which effective options. The fan-out and the render
 * worker both call this, so they agree on keys without talking to each other.
 */
export interface Customisation {
  /** Render key: bundle name + effective options; equal keys render to the same revision. */
  key: string;
  options: DeploymentOptions;
  clusterIds: string[];
}

export interface Customisations {
  byKey: Map<string, Customisation>;
  /** Cluster id → its render key. */
  keyOf: Map<string, string>;
  /** Clusters a matching targetCustomization marks doNotDeploy: they get no deployment. */
  notDeployed: string[];
  /** Clusters whose customisation failed (e.g. a template reads a label the cluster lacks). */
  failed: { clusterId: string; reason: string; message: string }[];
}

/**
 * Customises `fleetYaml` for each targeted cluster. A cluster's failure is
 * its own: the others still get their keys. Cluster groups have no labels
 * in Flotilla, so a `clusterGroupSelector` other than `{}` matches no group.
 */
export function customise(bundleName: string, fleetYaml: FleetYaml, clusters: TargetableCluster[], groups: GroupSelectors): Customisations {
  const out: Customisations = { byKey: new Map(), keyOf: new Map(), notDeployed: [], failed: [] };
  for (const cluster of clusters) {
    let result;
    try {
      result = customizeForCluster(fleetYaml, clusterContext(cluster, groups), { file: 'fleet.yaml' });
    } catch (error) {
      if (!isRenderError(error)) throw error;
      out.failed.push({ clusterId: cluster.id, reason: error.reason, message: error.message });
      continue;
    }
    if (!result.deploy) {
      out.notDeployed.push(cluster.id);
      continue;
    }
    const key = renderKey(bundleName, result.key);
    const entry = out.byKey.get(key) ?? { key, options: result.options, clusterIds: [] };
    entry.clusterIds.push(cluster.id);
    out.byKey.set(key, entry);
    out.keyOf.set(cluster.id, key);
  }
  return out;
}

/** `sha256:<hex>` of the bundle name and the customisation key: the release name defaults to the bundle name. */
export function renderKey(bundleName: string, customisationKey: string): string {
  return `sha256:${createHash('sha256').update(`${bundleName}\0${customisationKey}`).digest('hex')}`;
}

/** What the agent gets of a cluster's effective options (the rest shaped the render). */
export function agentOptions(options: DeploymentOptions): Record<string, unknown> {
  const comparePatches: ComparePatchInput[] = (options.diff?.comparePatches ?? []).flatMap((p) => {
    // Fleet's `operations` are JSON-patch removals of the paths to ignore; `jsonPointers` name them directly.
    const pointers = [...(p.jsonPointers ?? []), ...(p.operations ?? []).filter((o) => o.op === 'remove').map((o) => o.path)];
    if (pointers.length === 0) return [];
    return [{ apiVersion: p.apiVersion, kind: p.kind, name: p.name, namespace: p.namespace, jsonPointers: pointers }];
  });
  const out: Record<string, unknown> = {};
  // Fleet's `namespace` forces every namespaced object into it (and refuses cluster-scoped ones); `defaultNamespace`
  // only fills in missing namespaces. Either is the release namespace, which Fleet creates unless createNamespace is
  // false, with namespaceLabels/Annotations, and deletes with the bundle when deleteNamespace is set.
  const namespace = options.namespace || options.defaultNamespace;
  if (namespace) {
    out.defaultNamespace = namespace;
    if (options.namespace) out.forceNamespace = true;
    if (options.createNamespace !== false) out.createNamespace = true;
    if (options.namespaceLabels && Object.keys(options.namespaceLabels).length) out.namespaceLabels = options.namespaceLabels;
    if (options.namespaceAnnotations && Object.keys(options.namespaceAnnotations).length) out.namespaceAnnotations = options.namespaceAnnotations;
    if (options.deleteNamespace) out.deleteNamespace = true;
  }
  if (options.keepResources) out.keepResources = true;
  if (options.correctDrift?.enabled) out.correctDrift = true;
  if (comparePatches.length) out.comparePatches = comparePatches;
  // Fleet's ignore.conditions: status conditions the agent leaves out of health.
  const ignored = (options.ignore?.conditions ?? []).filter((c) => Object.keys(c).length > 0);
  if (ignored.length) out.ignoreConditions = ignored;
  return out;
}

function clusterContext(cluster: TargetableCluster, groups: GroupSelectors): ClusterContext {
  const memberOf = [...groups].filter(([, selector]) => matchesSelector(selector, cluster.labels)).map(([name]) => ({ name, labels: {} }));
  return { name: cluster.name, labels: cluster.labels, groups: memberOf };
}

/** Fleet's `overrideTargets` in Flotilla's target form (entries with no criterion Flotilla knows are left out). */
export function overrideTargets(fleetYaml: FleetYaml): BundleTarget[] | undefined {
  if (!fleetYaml.overrideTargets) return undefined;
  return fleetYaml.overrideTargets.flatMap((t) => {
    const target: BundleTarget = {};
    if (t.clusterName !== undefined) target.clusterName = t.clusterName;
    if (t.clusterSelector) target.clusterSelector = t.clusterSelector;
    if (t.clusterGroup !== undefined) target.clusterGroup = t.clusterGroup;
    return Object.keys(target).length ? [target] : [];
  });
}
