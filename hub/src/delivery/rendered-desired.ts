import type { FleetYaml } from '@flotilla/render';
import type { BundleTarget, GroupSelectors, TargetableCluster } from '../target/bundle-target.js';
import { targetedClusters } from '../target/bundle-target.js';
import { customise, overrideTargets } from '../target/rendered-target.js';
import type { DesiredDeployment } from './deployment-plan.js';

/** A stored render of one customisation (bundle_renders). */
export interface StoredRender {
  key: string;
  revisionId: string | null;
  options: Record<string, unknown>;
  reason: string;
  message: string;
}

/** What a directory bundle's fan-out does (pure): deployments where a render exists, nothing changed elsewhere. */
export interface RenderedDesired {
  desired: Map<string, DesiredDeployment>;
  /** Targeted clusters without a usable render (missing, failed): they keep what they run. */
  keep: Set<string>;
  /** Keys with no render yet: the render worker's job. */
  missing: string[];
  state: 'Rendering' | 'Rendered' | 'Failed';
  reason: string;
  message: string;
}

export interface RenderedBundle {
  name: string;
  targets: BundleTarget[];
  fleetYaml: FleetYaml;
}

/** The keys a bundle needs for its targeted clusters (both the fan-out and the render worker start here). */
export function neededCustomisations(bundle: RenderedBundle, clusters: TargetableCluster[], groups: GroupSelectors) {
  const targets = overrideTargets(bundle.fleetYaml) ?? bundle.targets;
  return customise(bundle.name, bundle.fleetYaml, targetedClusters(targets, clusters, groups), groups);
}

export function renderedDesired(bundle: RenderedBundle, clusters: TargetableCluster[], groups: GroupSelectors, renders: ReadonlyMap<string, StoredRender>): RenderedDesired {
  const c = neededCustomisations(bundle, clusters, groups);
  const desired = new Map<string, DesiredDeployment>();
  const keep = new Set(c.failed.map((f) => f.clusterId));
  const missing: string[] = [];
  const failures: { message: string; reason: string; clusters: number }[] = c.failed.map((f) => ({ message: f.message, reason: f.reason, clusters: 1 }));
  for (const { key, clusterIds } of c.byKey.values()) {
    const render = renders.get(key);
    if (!render) missing.push(key);
    else if (!render.revisionId) failures.push({ message: render.message, reason: render.reason, clusters: clusterIds.length });
    if (!render?.revisionId) {
      for (const id of clusterIds) keep.add(id);
      continue;
    }
    const want: DesiredDeployment = { revision: render.revisionId, renderKey: key, options: render.options };
    for (const id of clusterIds) desired.set(id, want);
  }
  if (missing.length) return { desired, keep, missing, state: 'Rendering', reason: '', message: `rendering ${missing.length} customisation(s)` };
  if (failures.length === 0) return { desired, keep, missing, state: 'Rendered', reason: '', message: '' };
  const clusterCount = failures.reduce((n, f) => n + f.clusters, 0);
  const first = failures[0]!;
  const more = failures.length > 1 ? ` (and ${failures.length - 1} other failure(s))` : '';
  return {
    desired,
    keep,
    missing,
    state: 'Failed',
    reason: first.reason,
    message: `${clusterCount} cluster(s) stay on their last good revision: ${first.message}${more}`,
  };
}
