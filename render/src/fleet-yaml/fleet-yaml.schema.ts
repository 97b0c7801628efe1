import { z } from 'zod';
import type { FleetYaml, HelmOptions, TargetCustomization } from './fleet-yaml.types.js';

/*
 * zod schema of fleet.yaml (FleetYaml in fleet-yaml.types.ts). Objects are strict so that an unknown key is
 * reported (the parser turns those issues into warnings, as Fleet ignores unknown keys); `null` is accepted where
 * Go's YAML decoding accepts it and read as "not set", except for the cluster selectors where `null` is meaningful.
 */

const opt = <T extends z.ZodType>(schema: T) =>
  schema
    .nullish()
    .transform((v) => v ?? undefined)
    .optional();

const stringMap = z.record(z.string(), z.string());
const int = z.number().int();

const labelSelector = z.strictObject({
  matchLabels: opt(stringMap),
  matchExpressions: opt(
    z.array(
      z.strictObject({
        key: z.string(),
        operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']),
        values: opt(z.array(z.string())),
      }),
    ),
  ),
});

/**
 * Fleet's agent reads `helm.valuesFrom` from ConfigMaps/Secrets of the downstream cluster at deploy time. A
 * hub-side render never reads cluster objects, so honouring it is impossible and ignoring it would deploy the
 * chart without values the user expects: a non-empty list is refused (an empty one means nothing).
 */
export const VALUES_FROM_REFUSED =
  'helm.valuesFrom reads values from ConfigMaps/Secrets on the downstream cluster, which a Flotilla render (on the hub, ' +
  'before deployment) never reads, so the chart would be deployed without them; put the values in helm.values or ' +
  'helm.valuesFiles (per cluster through targetCustomizations), or in helm.templateValues with ${ .ClusterLabels.<key> } / ' +
  '${ .ClusterValues.<key> }';

export const helmOptionsSchema = z.strictObject({
  chart: opt(z.string()),
  repo: opt(z.string()),
  version: opt(z.string()),
  releaseName: opt(z.string().max(53)),
  values: opt(z.record(z.string(), z.unknown())),
  templateValues: opt(z.record(z.string(), z.string())),
  valuesFiles: opt(z.array(z.string())),
  valuesFrom: opt(z.array(z.unknown()).max(0, VALUES_FROM_REFUSED)),
  timeoutSeconds: opt(int),
  force: opt(z.boolean()),
  takeOwnership: opt(z.boolean()),
  maxHistory: opt(int),
  waitForJobs: opt(z.boolean()),
  atomic: opt(z.boolean()),
  disablePreProcess: opt(z.boolean()),
  disableDNS: opt(z.boolean()),
  skipSchemaValidation: opt(z.boolean()),
  disableDependencyUpdate: opt(z.boolean()),
});

const comparePatch = z.strictObject({
  apiVersion: opt(z.string()),
  kind: opt(z.string()),
  name: opt(z.string()),
  namespace: opt(z.string()),
  operations: opt(z.array(z.strictObject({ op: z.string(), path: z.string(), value: z.unknown().optional() }))),
  jsonPointers: opt(z.array(z.string())),
});

/** The deployment options shared by the top level and every target customisation. */
const deploymentOptionsShape = {
  defaultNamespace: opt(z.string()),
  namespace: opt(z.string()),
  namespaceLabels: opt(stringMap),
  namespaceAnnotations: opt(stringMap),
  createNamespace: opt(z.boolean()),
  deleteNamespace: opt(z.boolean()),
  serviceAccount: opt(z.string()),
  helm: opt(helmOptionsSchema),
  kustomize: opt(z.strictObject({ dir: opt(z.string()) })),
  yaml: opt(z.strictObject({ overlays: opt(z.array(z.string())) })),
  diff: opt(z.strictObject({ comparePatches: opt(z.array(comparePatch)) })),
  correctDrift: opt(
    z.strictObject({ enabled: opt(z.boolean()), force: opt(z.boolean()), keepFailHistory: opt(z.boolean()) }),
  ),
  keepResources: opt(z.boolean()),
  ignore: opt(z.strictObject({ conditions: opt(z.array(stringMap)) })),
  forceSyncGeneration: opt(int),
  deleteCRDResources: opt(z.boolean()),
  downstreamResources: opt(z.array(z.strictObject({ kind: z.string(), name: z.string() }))),
};

const targetShape = {
  name: opt(z.string()),
  clusterName: opt(z.string()),
  clusterSelector: labelSelector.nullable().optional(),
  clusterGroup: opt(z.string()),
  clusterGroupSelector: labelSelector.nullable().optional(),
};

export const targetCustomizationSchema = z.strictObject({
  ...deploymentOptionsShape,
  ...targetShape,
  doNotDeploy: opt(z.boolean()),
});

/** Fleet's BundleState values (`StateRank` in bundle_types.go), the only valid `acceptedStates`. */
const bundleState = z.enum(['Ready', 'NotReady', 'Pending', 'OutOfSync', 'Modified', 'WaitApplied', 'ErrApplied']);

/** As Fleet's `validateFleetYAML`: a dependency names a bundle or selects some. */
const bundleRef = z
  .strictObject({ name: opt(z.string()), selector: opt(labelSelector), acceptedStates: opt(z.array(bundleState)) })
  .refine((dep) => (dep.name !== undefined && dep.name !== '') || dep.selector !== undefined, {
    message: "must specify either 'name' or 'selector'",
  });

/** A count (a whole number ≥ 0) or a percentage such as "25%". */
const intOrPercent = z.union([
  int.min(0),
  z.string().regex(/^\d+(\.\d+)?%$/, 'must be a whole number or a percentage such as "25%"'),
]);

const rolloutPartitionSchema = z.strictObject({
  name: z.string().min(1),
  maxUnavailable: opt(intOrPercent),
  clusterName: opt(z.string()),
  clusterSelector: opt(labelSelector),
  clusterGroup: opt(z.string()),
  clusterGroupSelector: opt(labelSelector),
  requireApproval: opt(z.boolean()),
});

/** fleet.yaml `rolloutStrategy`; the bundle and GitRepo APIs accept the same. */
export const rolloutStrategySchema = z
  .strictObject({
    maxUnavailable: opt(intOrPercent),
    maxUnavailablePartitions: opt(intOrPercent),
    autoPartitionSize: opt(intOrPercent),
    autoPartitionThreshold: opt(int.min(0)),
    maxNew: opt(int.min(1)),
    partitions: opt(z.array(rolloutPartitionSchema)),
    progressDeadlineSeconds: opt(int.min(1)),
  })
  .superRefine((s, ctx) => {
    const seen = new Set<string>();
    (s.partitions ?? []).forEach((p, i) => {
      if (seen.has(p.name)) ctx.addIssue({ code: 'custom', path: ['partitions', i, 'name'], message: `partition name "${p.name}" is used twice` });
      seen.add(p.name);
    });
  });

export const fleetYamlSchema = z.strictObject({
  ...deploymentOptionsShape,
  name: opt(z.string()),
  labels: opt(stringMap),
  targetCustomizations: opt(z.array(targetCustomizationSchema)),
  targetCustomizationMode: opt(z.enum(['FirstMatch', 'AllMatches'])),
  overrideTargets: opt(z.array(z.strictObject(targetShape))),
  dependsOn: opt(z.array(bundleRef)),
  rolloutStrategy: opt(rolloutStrategySchema),
  paused: opt(z.boolean()),
  imageScans: opt(z.array(z.unknown())),
});

// Compile-time guard: every field of the shared types has a schema entry (the reverse, schema ⊆ type, is checked
// where the parser returns `satisfies FleetYaml`).
type MissingKeys<T, S extends z.ZodType> = Exclude<keyof T, keyof z.output<S>>;
const allFieldsCovered: [
  MissingKeys<FleetYaml, typeof fleetYamlSchema>,
  MissingKeys<HelmOptions, typeof helmOptionsSchema>,
  MissingKeys<TargetCustomization, typeof targetCustomizationSchema>,
] extends [never, never, never]
  ? true
  : false = true;
void allFieldsCovered;
