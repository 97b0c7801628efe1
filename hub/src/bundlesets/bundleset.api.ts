import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { DNS_LABEL_PATTERN } from '@flotilla/core';
import { z } from 'zod';
import { errorResponses, json } from '../platform/http/common.schemas.js';
import { pageQueryFields, pageSchema } from '../platform/http/pagination.js';
import { generatorEntrySchema } from './generators/generator.registry.js';
import { BUNDLESET_POLICIES } from './plan/bundleset-plan.js';
import { bundleTemplatePatchSchema, bundleTemplateSchema } from './template/bundle-template.schema.js';

const bundleSetName = z.string().max(63).regex(DNS_LABEL_PATTERN, 'must be a DNS label of at most 63 characters');
export const bundleSetNameParams = z.strictObject({ name: bundleSetName });
export const listBundleSetsQuery = z.strictObject({ ...pageQueryFields });

const syncPolicySchema = z
  .strictObject({
    bundlesSync: z.enum(BUNDLESET_POLICIES).default('sync').meta({ description: "Argo CD's applicationsSync: which of create, update and delete evaluations may do" }),
    preserveResourcesOnDeletion: z.boolean().default(false).meta({ description: 'Deleting the BundleSet or one of its bundles leaves the workloads on the clusters' }),
    allowEmpty: z.boolean().default(false).meta({ description: 'Let a run that yields no parameter sets delete the bundles (default: it deletes nothing)' }),
    maxDeleteFraction: z.number().min(0).max(1).default(0.5).meta({ description: 'A run deleting more than this fraction of the bundles waits for POST …/approve (1: never waits)' }),
  })
  .meta({ id: 'BundleSetSyncPolicy' });

/** Each entry's optional `template` patch is checked as part of a template (its issues point into it). */
const generatorsBody = z
  .array(generatorEntrySchema)
  .min(1)
  .max(20)
  .superRefine((entries, ctx) => {
    entries.forEach((entry, i) => {
      if (entry.template === undefined) return;
      const parsed = bundleTemplatePatchSchema.safeParse(entry.template);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        ctx.addIssue({ code: 'custom', path: [i, 'template', ...issue.path], message: issue.message });
      }
    });
  });

export const putBundleSetBody = z
  .strictObject({
    generators: generatorsBody,
    template: bundleTemplateSchema,
    syncPolicy: syncPolicySchema.default({ bundlesSync: 'sync', preserveResourcesOnDeletion: false, allowEmpty: false, maxDeleteFraction: 0.5 }),
  })
  .meta({ id: 'PutBundleSet' });
export type PutBundleSet = z.output<typeof putBundleSetBody>;

export const previewBundleSetBody = z
  .strictObject({
    name: bundleSetName.optional().meta({ description: 'Compare with this saved BundleSet’s bundles (default: as if new)' }),
    generators: putBundleSetBody.shape.generators,
    template: putBundleSetBody.shape.template,
    syncPolicy: putBundleSetBody.shape.syncPolicy,
  })
  .meta({ id: 'PreviewBundleSet' });
export type PreviewBundleSet = z.output<typeof previewBundleSetBody>;

const whereSchema = z.object({ field: z.string().optional(), file: z.string().optional(), line: z.number().optional(), paramSetIndex: z.number().optional() });

const bundleSetSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    generators: z.array(z.unknown()),
    template: z.unknown(),
    syncPolicy: syncPolicySchema,
    status: z.object({
      result: z.string().meta({ description: 'Pending, Evaluated, GeneratorFailed, TemplateFailed, DuplicateBundleName, BundleConflict, SourceFailed, EmptyResult, ApprovalRequired' }),
      message: z.string(),
      where: whereSchema,
      evaluatedAt: z.string().nullable(),
      evaluationPending: z.boolean(),
      paramSetCount: z.number(),
      pendingDeletion: z.object({ names: z.array(z.string()) }).nullable(),
      bundles: z.object({ total: z.number(), deployments: z.record(z.string(), z.number()).meta({ description: 'Deployments of the generated bundles by state' }) }),
    }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'BundleSet' });

const previewSchema = z
  .object({
    counts: z.object({ paramSets: z.number(), create: z.number(), update: z.number(), delete: z.number(), unchanged: z.number() }),
    truncated: z.boolean().meta({ description: 'Each list holds at most 1,000 entries; counts has the totals' }),
    paramSets: z.array(z.record(z.string(), z.unknown())),
    create: z.array(z.object({ name: z.string(), spec: z.unknown(), clusters: z.array(z.string()) })),
    update: z.array(z.object({ name: z.string(), spec: z.unknown(), diff: z.array(z.unknown()).meta({ description: 'RFC 6902 operations from the current spec' }), clusters: z.array(z.string()) })),
    delete: z.array(z.object({ name: z.string(), clusters: z.array(z.string()) })),
    unchanged: z.array(z.string()),
    skipped: z.object({ update: z.array(z.string()), delete: z.array(z.string()) }),
    conflicts: z.array(z.object({ name: z.string(), owner: z.string() })),
    hold: z.object({ reason: z.string(), message: z.string() }).nullable().meta({ description: 'Set when the run would change nothing (EmptyResult, ApprovalRequired)' }),
    error: z.object({ result: z.string(), message: z.string(), where: whereSchema }).nullable().meta({ description: 'Set when the run would fail (and change nothing)' }),
  })
  .meta({ id: 'BundleSetPreview' });

export function registerBundleSetPaths(r: OpenAPIRegistry): void {
  const name = { params: bundleSetNameParams };
  const putBody = { content: { 'application/json': { schema: putBundleSetBody } } };
  r.registerPath({ method: 'put', path: '/api/v1/bundlesets/{name}', summary: 'Create or update a BundleSet (an evaluation starts at once)', request: { ...name, body: putBody }, responses: { 200: json(bundleSetSchema, 'Updated'), 201: json(bundleSetSchema, 'Created'), ...errorResponses } });
  r.registerPath({ method: 'get', path: '/api/v1/bundlesets', summary: 'List BundleSets by name, a page at a time', request: { query: listBundleSetsQuery }, responses: { 200: json(pageSchema(bundleSetSchema), 'A page of BundleSets'), ...errorResponses } });
  r.registerPath({ method: 'get', path: '/api/v1/bundlesets/{name}', summary: 'Get a BundleSet and its evaluation status', request: name, responses: { 200: json(bundleSetSchema, 'BundleSet'), ...errorResponses } });
  r.registerPath({ method: 'post', path: '/api/v1/bundlesets/preview', summary: 'Evaluate a BundleSet (saved or not) and say what it would create, update and delete, changing nothing', request: { body: { content: { 'application/json': { schema: previewBundleSetBody } } } }, responses: { 200: json(previewSchema, 'What an evaluation would do now'), ...errorResponses } });
  r.registerPath({ method: 'post', path: '/api/v1/bundlesets/{name}/approve', summary: 'Approve the deletions a BundleSet waits for (exactly that set)', request: name, responses: { 202: json(bundleSetSchema, 'Approved; an evaluation runs'), ...errorResponses } });
  r.registerPath({ method: 'post', path: '/api/v1/bundlesets/{name}/refresh', summary: 'Evaluate now', request: name, responses: { 202: json(bundleSetSchema, 'Evaluation requested'), ...errorResponses } });
  r.registerPath({ method: 'delete', path: '/api/v1/bundlesets/{name}', summary: 'Delete a BundleSet and its bundles; workloads stay when preserveResourcesOnDeletion', request: name, responses: { 204: { description: 'Deleted' }, ...errorResponses } });
}
