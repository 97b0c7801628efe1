import type { DeploymentOptions, FleetComparePatch, HelmOptions } from '../fleet-yaml/fleet-yaml.types.js';
import { mergeByKey, mergeMaps } from './merge-by-key.js';

/**
 * Overlays a target customisation's options on the bundle's, field by field as Fleet's
 * `options.Merge` (internal/cmd/controller/options/calculate.go) does. Pure; inputs are not changed.
 *
 * Fleet's rules, kept here: strings replace when non-empty; `helm.values` deep-merge (lists replace);
 * `helm.templateValues` merge by key; booleans such as `helm.force` and `keepResources` are ORed (a
 * customisation cannot turn them off); `yaml.overlays` append; `diff.comparePatches` and
 * `downstreamResources` merge by identity; `correctDrift` replaces as a whole; a negative
 * `helm.timeoutSeconds` clears it. Fields Fleet's Merge does not read (`namespaceLabels`,
 * `namespaceAnnotations`, `createNamespace`, `deleteNamespace`, `deleteCRDResources`, `ignore`,
 * `helm.maxHistory`, `helm.skipSchemaValidation`, `helm.disableDependencyUpdate`) are not taken from a
 * customisation. `helm.valuesFiles`, which Fleet folds into each level's values when it reads the
 * bundle, are appended (see customizeForCluster). `helm.valuesFrom` is refused by the parser when
 * not empty (a hub-side render cannot read the cluster's Secrets/ConfigMaps), so it is not merged.
 */
export function mergeOptions(base: DeploymentOptions, custom: DeploymentOptions): DeploymentOptions {
  const result = structuredClone(base);
  for (const key of ['defaultNamespace', 'namespace', 'serviceAccount'] as const) {
    if (custom[key]) result[key] = custom[key];
  }
  if (custom.helm) result.helm = mergeHelm(result.helm ?? {}, custom.helm);
  if (custom.kustomize) {
    result.kustomize = { ...result.kustomize };
    if (custom.kustomize.dir) result.kustomize.dir = custom.kustomize.dir;
  }
  if (custom.diff) {
    result.diff = { ...result.diff };
    const patches = mergeByKey(result.diff.comparePatches ?? [], custom.diff.comparePatches ?? [], comparePatchKey);
    if (patches.length > 0) result.diff.comparePatches = patches;
  }
  if (custom.yaml) {
    result.yaml = { ...result.yaml };
    const overlays = [...(result.yaml.overlays ?? []), ...(custom.yaml.overlays ?? [])];
    if (overlays.length > 0) result.yaml.overlays = overlays;
  }
  if (custom.forceSyncGeneration && custom.forceSyncGeneration > 0) result.forceSyncGeneration = custom.forceSyncGeneration;
  if (custom.keepResources) result.keepResources = true;
  if (custom.correctDrift) result.correctDrift = structuredClone(custom.correctDrift);
  if (custom.downstreamResources?.length) {
    result.downstreamResources = mergeByKey(result.downstreamResources ?? [], custom.downstreamResources, (r) => `${r.kind.toLowerCase()}|${r.name}`);
  }
  return result;
}

function mergeHelm(base: HelmOptions, custom: HelmOptions): HelmOptions {
  const result: HelmOptions = { ...base };
  if (custom.timeoutSeconds !== undefined && custom.timeoutSeconds > 0) result.timeoutSeconds = custom.timeoutSeconds;
  else if (custom.timeoutSeconds !== undefined && custom.timeoutSeconds < 0) delete result.timeoutSeconds;
  if (result.values === undefined) {
    if (custom.values !== undefined) result.values = structuredClone(custom.values);
  } else if (custom.values) result.values = mergeMaps(result.values, structuredClone(custom.values));
  if (custom.templateValues) result.templateValues = { ...result.templateValues, ...custom.templateValues };
  if (custom.valuesFiles?.length) result.valuesFiles = [...(result.valuesFiles ?? []), ...custom.valuesFiles];
  for (const key of ['repo', 'chart', 'version', 'releaseName'] as const) {
    if (custom[key]) result[key] = custom[key];
  }
  for (const key of ['force', 'atomic', 'takeOwnership', 'disablePreProcess', 'waitForJobs', 'disableDNS'] as const) {
    if (custom[key]) result[key] = true;
  }
  return result;
}

function comparePatchKey(p: FleetComparePatch): string {
  return `${p.apiVersion ?? ''}|${p.kind ?? ''}|${p.namespace ?? ''}|${p.name ?? ''}`;
}
