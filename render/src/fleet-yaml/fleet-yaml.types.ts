import type { Labels, LabelSelector } from '@flotilla/core';

/**
 * fleet.yaml as Rancher Fleet reads it (fleet `internal/fleetyaml`,
 * `pkg/apis/fleet.cattle.io/v1alpha1/bundle_types.go`, `docs/ref-fleet-yaml.md`).
 * Field names are Fleet's, so an existing repository's fleet.yaml means the same here.
 */
export interface FleetYaml extends DeploymentOptions {
  /** Overrides the derived bundle name. */
  name?: string;
  /** Labels on the bundle (selectable by `dependsOn.selector`). */
  labels?: Labels;
  targetCustomizations?: TargetCustomization[];
  /** `FirstMatch` (default): the first matching customisation applies; `AllMatches`: every match, merged in order. */
  targetCustomizationMode?: 'FirstMatch' | 'AllMatches';
  /** Replaces the GitRepo's targets for this bundle. */
  overrideTargets?: BundleTarget[];
  dependsOn?: BundleDependency[];
  /** How a new revision rolls across the targeted clusters (docs/rollouts.md). */
  rolloutStrategy?: RolloutStrategy;
  paused?: boolean;
  /** Parsed for compatibility; image scanning is not built. */
  imageScans?: unknown[];
}

/** Options that fleet.yaml sets at the top level and a target customisation may override. */
export interface DeploymentOptions {
  defaultNamespace?: string;
  /** Forces every namespaced object into this namespace. */
  namespace?: string;
  namespaceLabels?: Record<string, string>;
  namespaceAnnotations?: Record<string, string>;
  createNamespace?: boolean;
  deleteNamespace?: boolean;
  serviceAccount?: string;
  helm?: HelmOptions;
  kustomize?: { dir?: string };
  yaml?: { overlays?: string[] };
  diff?: { comparePatches?: FleetComparePatch[] };
  correctDrift?: { enabled?: boolean; force?: boolean; keepFailHistory?: boolean };
  keepResources?: boolean;
  ignore?: { conditions?: Record<string, string>[] };
  forceSyncGeneration?: number;
  deleteCRDResources?: boolean;
  downstreamResources?: { kind: string; name: string }[];
}

/** fleet.yaml `helm` (Fleet's HelmOptions). */
export interface HelmOptions {
  /** A path in the bundle, a chart name in `repo`, an `oci://` reference or a `.tgz` URL. */
  chart?: string;
  repo?: string;
  /** A semver constraint when `repo` is set, else an exact version. */
  version?: string;
  releaseName?: string;
  values?: Record<string, unknown>;
  /** Each value a `${ }` template whose output is parsed as YAML; wins over `values`. */
  templateValues?: Record<string, string>;
  valuesFiles?: string[];
  /**
   * Values from Secrets/ConfigMaps on the downstream cluster: a hub-side render cannot read them, so the parser
   * refuses a non-empty list (VALUES_FROM_REFUSED); only an empty list gets here.
   */
  valuesFrom?: unknown[];
  timeoutSeconds?: number;
  force?: boolean;
  takeOwnership?: boolean;
  maxHistory?: number;
  waitForJobs?: boolean;
  atomic?: boolean;
  disablePreProcess?: boolean;
  disableDNS?: boolean;
  skipSchemaValidation?: boolean;
  /** Do not fetch chart dependencies missing from `charts/` (they are fetched by default, as Fleet; top level only). */
  disableDependencyUpdate?: boolean;
}

/** One `targetCustomizations` entry: match criteria (ANDed) plus options that override the bundle's. */
export interface TargetCustomization extends DeploymentOptions {
  name?: string;
  clusterName?: string;
  clusterSelector?: LabelSelector | null;
  clusterGroup?: string;
  clusterGroupSelector?: LabelSelector | null;
  doNotDeploy?: boolean;
}

/** A GitRepo/bundle target (`targets`, `overrideTargets`). */
export interface BundleTarget {
  name?: string;
  clusterName?: string;
  clusterSelector?: LabelSelector | null;
  clusterGroup?: string;
  clusterGroupSelector?: LabelSelector | null;
}

export interface BundleDependency {
  name?: string;
  selector?: LabelSelector;
  /** Default `['Ready']`. */
  acceptedStates?: string[];
}

/** fleet.yaml `diff.comparePatches` entry. */
export interface FleetComparePatch {
  apiVersion?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  operations?: { op: string; path: string; value?: unknown }[];
  jsonPointers?: string[];
}

/** A count or a percentage ("25%"), as Fleet's IntOrString. */
export type IntOrPercent = number | string;

/** One named partition of a rollout (Fleet's `rolloutStrategy.partitions[]`, plus Flotilla's `requireApproval`). */
export interface RolloutPartition {
  name: string;
  /** Clusters of this partition that may be unavailable before the next partition starts (default: the strategy's). */
  maxUnavailable?: IntOrPercent;
  clusterName?: string;
  clusterSelector?: LabelSelector;
  clusterGroup?: string;
  clusterGroupSelector?: LabelSelector;
  /** Flotilla: the partition starts only after a `promote` of the rollout. */
  requireApproval?: boolean;
}

/** fleet.yaml `rolloutStrategy` (Fleet's `RolloutStrategy`; defaults in docs/rollouts.md). */
export interface RolloutStrategy {
  maxUnavailable?: IntOrPercent;
  maxUnavailablePartitions?: IntOrPercent;
  autoPartitionSize?: IntOrPercent;
  autoPartitionThreshold?: number;
  /** First-time deployments per planning pass (Fleet's fixed 50). */
  maxNew?: number;
  partitions?: RolloutPartition[];
  /** Flotilla: a deployed cluster not Ready after this long counts as failed (default 600 s). */
  progressDeadlineSeconds?: number;
}
