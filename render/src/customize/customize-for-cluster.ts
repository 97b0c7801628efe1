import type { DeploymentOptions, FleetYaml, TargetCustomization } from '../fleet-yaml/fleet-yaml.types.js';
import type { ClusterContext } from './cluster-context.types.js';
import { matchesTarget } from './cluster-match.js';
import { templateHelmOptions } from './helm-values.template.js';
import { canonicalKey } from './options-key.js';
import { mergeOptions } from './options.merge.js';
import { exportLabels, templateContext } from './template-context.js';

/** The outcome of customising a fleet.yaml for one cluster. */
export type CustomizeResult =
  | { deploy: true; key: string; options: DeploymentOptions; matched: string[] }
  | { deploy: false; reason: string; matched: string[] };

/** The fleet.yaml fields that are deployment options (everything else is bundle-level or match criteria). */
const OPTION_KEYS = [
  'defaultNamespace',
  'namespace',
  'namespaceLabels',
  'namespaceAnnotations',
  'createNamespace',
  'deleteNamespace',
  'serviceAccount',
  'helm',
  'kustomize',
  'yaml',
  'diff',
  'correctDrift',
  'keepResources',
  'ignore',
  'forceSyncGeneration',
  'deleteCRDResources',
  'downstreamResources',
] as const satisfies readonly (keyof DeploymentOptions)[];

/**
 * The effective deployment options of a fleet.yaml for one cluster, as Fleet's target builder computes
 * them: `targetCustomizations` matched (FirstMatch: the first; AllMatches: all, merged in order), a
 * matched `doNotDeploy` stops the deployment, the result merged over the top-level options, then
 * `helm.values`/`helm.templateValues` templated with the cluster's data.
 * Throws RenderError `TemplateFailed` (with `file` and the field) when a template fails.
 */
export function customizeForCluster(fleetYaml: FleetYaml, cluster: ClusterContext, opts: { file?: string } = {}): CustomizeResult {
  const customizations = fleetYaml.targetCustomizations ?? [];
  const matching = customizations.flatMap((tc, i) => (tc && matchesTarget(tc, cluster) ? [{ tc, label: tc.name || `#${i}` }] : []));
  const selected = fleetYaml.targetCustomizationMode === 'AllMatches' ? matching : matching.slice(0, 1);
  const matched = selected.map((m) => m.label);
  const blocked = selected.find((m) => m.tc.doNotDeploy);
  if (blocked) return { deploy: false, reason: `targetCustomization ${blocked.label} has doNotDeploy`, matched };

  // Fleet folds the matched customisations together first, then merges that over the bundle's options.
  // FirstMatch takes the customisation as it is; AllMatches folds each match with options.Merge
  // (which differs for e.g. a negative helm.timeoutSeconds, so the two paths stay distinct).
  const custom =
    fleetYaml.targetCustomizationMode === 'AllMatches'
      ? selected.reduce<DeploymentOptions>((acc, { tc }) => mergeOptions(acc, pickOptions(tc)), {})
      : pickOptions(selected[0]?.tc ?? {});
  let options = mergeOptions(pickOptions(fleetYaml), custom);
  if (options.helm) {
    const helm = templateHelmOptions(options.helm, templateContext(cluster), exportLabels(cluster.labels), opts.file);
    options = { ...options, helm };
  }
  return { deploy: true, key: canonicalKey(options), options, matched };
}

function pickOptions(source: FleetYaml | TargetCustomization): DeploymentOptions {
  const out: Record<string, unknown> = {};
  for (const key of OPTION_KEYS) if (source[key] !== undefined && source[key] !== null) out[key] = structuredClone(source[key]);
  return out as DeploymentOptions;
}
