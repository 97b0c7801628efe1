import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { DNS_LABEL_MAX_LENGTH, DNS_LABEL_PATTERN, labelsProblem } from '@flotilla/core';
import { rolloutStrategySchema } from '@flotilla/render';
import { z } from 'zod';
import { windowProblem } from '../delivery/rollout/plan/delivery-window.js';
import { errorResponses, json, labelSelectorSchema, labelsSchema } from '../platform/http/common.schemas.js';
import { pageQueryFields, pageSchema } from '../platform/http/pagination.js';

const dnsLabel = z.string().max(DNS_LABEL_MAX_LENGTH).regex(DNS_LABEL_PATTERN, 'must be a DNS label (lower-case alphanumerics and "-", at most 63 characters)');

export const bundleNameParams = z.strictObject({ name: dnsLabel });

export const listBundlesQuery = z.strictObject({
  ...pageQueryFields,
  namePrefix: z.string().regex(/^[a-z0-9-]{1,63}$/, 'must be 1 to 63 lower-case alphanumerics or "-"').optional().meta({ description: 'Only bundles whose name starts with this' }),
});

export const bundleTargetSchema = z
  .strictObject({ clusterName: z.string().optional(), clusterSelector: labelSelectorSchema.optional(), clusterGroup: z.string().optional() })
  .meta({ id: 'BundleTarget', description: 'Every field given must match; the bundle targets a cluster when any entry matches' });

/**
 * Compare patches travel in every desired state of every targeted cluster, so
 * they are bounded: at most 64 per bundle, 32 pointers each, 256 characters a
 * pointer (≤ 0.5 MiB per bundle in the worst case, a few hundred bytes in practice).
 */
const MAX_COMPARE_PATCHES = 64;
const identityField = z.string().max(253, 'must be at most 253 characters').optional();
export const comparePatchSchema = z
  .strictObject({
    apiVersion: identityField,
    kind: identityField,
    namespace: identityField,
    name: identityField,
    jsonPointers: z
      .array(z.string().max(256, 'must be at most 256 characters').regex(/^(\/([^~/]|~[01])*)+$/, 'must be an RFC 6901 JSON pointer such as /spec/replicas'))
      .min(1)
      .max(32, 'at most 32 pointers per compare patch'),
  })
  .meta({ id: 'ComparePatch', description: 'Fields to ignore when detecting drift (Fleet diff.comparePatches)' });

export const bundleOptionsSchema = z
  .strictObject({
    defaultNamespace: dnsLabel.optional(),
    keepResources: z.boolean().optional(),
    correctDrift: z.boolean().optional(),
    allowEmpty: z.boolean().optional(),
    comparePatches: z.array(comparePatchSchema).max(MAX_COMPARE_PATCHES, `at most ${MAX_COMPARE_PATCHES} compare patches per bundle`).optional(),
  })
  .meta({ id: 'BundleOptions' });

export const bundleDirectorySchema = z
  .strictObject({
    archive: z.base64().min(1).meta({ description: 'Base64 of a gzipped tar of the bundle directory (fleet.yaml, a Helm chart, a kustomization or raw YAML)' }),
  })
  .meta({ id: 'BundleDirectory', description: 'A bundle directory the hub renders per targeted cluster, as Fleet would' });

/** fleet.yaml `rolloutStrategy`, as the API takes it for a bundle of objects (docs/rollouts.md). */
export const rolloutStrategyApiSchema = rolloutStrategySchema.meta({
  id: 'RolloutStrategy',
  description: 'Partitions, maxUnavailable, maxUnavailablePartitions, autoPartitionSize, autoPartitionThreshold, maxNew, progressDeadlineSeconds (docs/rollouts.md)',
});

/** A delivery window (Fleet's Schedule): new revisions are deployed only while one is open (docs/rollouts.md). */
export const deliveryWindowSchema = z
  .strictObject({
    schedule: z.string().min(1).max(200).meta({ description: 'Cron expression of the window starts (5 fields, or 6 with seconds first)' }),
    duration: z.string().max(32).meta({ description: 'How long each window stays open, e.g. "2h" or "1h30m"' }),
    location: z.string().max(64).optional().meta({ description: 'IANA time zone of the schedule; default UTC' }),
  })
  .superRefine((w, ctx) => {
    const problem = windowProblem(w);
    if (problem) ctx.addIssue({ code: 'custom', message: problem.message, path: [problem.field] });
  })
  .meta({ id: 'DeliveryWindow' });

export const deliveryWindowsSchema = z.array(deliveryWindowSchema).max(20);

const deploymentStateEnum = z.enum(['Ready', 'NotReady', 'Pending', 'OutOfSync', 'Modified', 'WaitApplied', 'ErrApplied']);

export const bundleDependencySchema = z
  .strictObject({
    name: dnsLabel.optional(),
    selector: labelSelectorSchema.optional(),
    acceptedStates: z.array(deploymentStateEnum).min(1).optional().meta({ description: 'Default [Ready]' }),
  })
  .refine((d) => d.name !== undefined || d.selector !== undefined, { message: "must specify either 'name' or 'selector'", path: ['name'] })
  .meta({ id: 'BundleDependency', description: 'A bundle is delivered to a cluster once the bundles it depends on are in an accepted state there' });

const bundleLabelsSchema = labelsSchema.superRefine((labels, ctx) => {
  const problem = labelsProblem(labels);
  if (problem) ctx.addIssue({ code: 'custom', message: problem.message, path: [problem.key] });
});

export const putBundleBody = z
  .strictObject({
    manifests: z.string().optional().meta({ description: 'Multi-document YAML' }),
    resources: z.array(z.unknown()).optional().meta({ description: 'Kubernetes objects (instead of manifests)' }),
    directory: bundleDirectorySchema.optional(),
    targets: z.array(bundleTargetSchema).max(1000),
    options: bundleOptionsSchema.optional(),
    rolloutStrategy: rolloutStrategyApiSchema.optional(),
    dependsOn: z.array(bundleDependencySchema).max(100).optional(),
    schedule: deliveryWindowsSchema.optional().meta({ description: 'Delivery windows; none: always open' }),
    labels: bundleLabelsSchema.optional().meta({ description: 'Labels of the bundle (what dependsOn selectors match)' }),
  })
  .refine((b) => [b.manifests, b.resources, b.directory].filter((x) => x !== undefined).length === 1, {
    message: 'give exactly one of manifests, resources or directory',
    path: ['manifests'],
  })
  .superRefine((b, ctx) => {
    if (b.directory === undefined) return;
    for (const field of ['options', 'rolloutStrategy', 'dependsOn', 'labels', 'schedule'] as const) {
      if (b[field] !== undefined) ctx.addIssue({ code: 'custom', message: `a directory bundle's ${field} come from its fleet.yaml`, path: [field] });
    }
  })
  .meta({ id: 'PutBundle' });

const renderSchema = z
  .object({
    state: z.enum(['Rendering', 'Rendered', 'Failed']),
    reason: z.string().meta({ description: 'A render error reason (InvalidFleetYaml, HelmFailed, TemplateFailed, …) when Failed' }),
    message: z.string(),
  })
  .meta({ id: 'BundleRender', description: 'Rendering of a directory bundle; clusters whose render failed stay on their last good revision' });

export const bundleSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    revision: z.string().nullable().meta({ description: 'The revision every targeted cluster gets; null for a directory bundle (one per customisation)' }),
    resourceCount: z.number().nullable(),
    size: z.number().nullable(),
    source: z
      .object({ digest: z.string(), files: z.number(), size: z.number() })
      .nullable()
      .meta({ description: 'The bundle directory a directory bundle renders from' }),
    render: renderSchema.nullable(),
    gitRepo: z
      .object({ name: z.string(), path: z.string() })
      .nullable()
      .meta({ description: 'The GitRepo this bundle was discovered in, and its directory there: only that GitRepo changes it' }),
    targets: z.array(bundleTargetSchema),
    options: bundleOptionsSchema,
    rolloutStrategy: z.record(z.string(), z.unknown()).nullable().meta({ description: 'As given to the API (a directory bundle: its fleet.yaml)' }),
    dependsOn: z.array(bundleDependencySchema).nullable(),
    schedule: z.array(z.object({ schedule: z.string(), duration: z.string(), location: z.string().optional() })).nullable(),
    labels: z.record(z.string(), z.string()),
    paused: z.boolean().meta({ description: 'Rollout paused through the API' }),
    pinned: z
      .object({ seq: z.number().nullable(), until: z.enum(['unpinned', 'newContent']) })
      .nullable()
      .meta({ description: 'After a rollback: the history entry every cluster runs, and until when' }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Bundle' });

export function registerBundlePaths(r: OpenAPIRegistry): void {
  const name = { params: bundleNameParams };
  r.registerPath({ method: 'put', path: '/api/v1/bundles/{name}', summary: 'Create or update a bundle (a new content-addressed revision when the content changes)', request: { ...name, body: { content: { 'application/json': { schema: putBundleBody } } } }, responses: { 200: json(bundleSchema, 'Updated'), 201: json(bundleSchema, 'Created'), ...errorResponses } });
  r.registerPath({ method: 'get', path: '/api/v1/bundles', summary: 'List bundles by name, a page at a time', request: { query: listBundlesQuery }, responses: { 200: json(pageSchema(bundleSchema), 'A page of bundles'), ...errorResponses } });
  r.registerPath({ method: 'get', path: '/api/v1/bundles/{name}', summary: 'Get a bundle', request: name, responses: { 200: json(bundleSchema, 'Bundle'), ...errorResponses } });
  r.registerPath({ method: 'delete', path: '/api/v1/bundles/{name}', summary: 'Delete a bundle; agents prune its objects unless keepResources', request: name, responses: { 204: { description: 'Deleted' }, ...errorResponses } });
}
