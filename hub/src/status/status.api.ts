import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { errorResponses, idParams, json } from '../platform/http/common.schemas.js';
import { bundleNameParams } from '../bundles/bundle.api.js';
import { pageQueryFields, pageSchema } from '../platform/http/pagination.js';

const state = z.enum(['Ready', 'NotReady', 'Pending', 'OutOfSync', 'Modified', 'WaitApplied', 'ErrApplied']);

const deploymentFilterFields = {
  state: state.optional().meta({ description: 'Only deployments in this displayed state (Pending: not deployed yet; OutOfSync: Ready on an older revision than staged)' }),
  revision: z.string().min(1).max(200).optional().meta({ description: 'Only deployments given or running this revision ("where is revision X running")' }),
  notOnLatest: z.enum(['true', 'false']).transform((v) => v === 'true').optional().meta({ description: 'true: only deployments not running what is staged for them' }),
  selector: z.string().max(4096).optional().meta({ description: "Label selector on the deployment's cluster, e.g. `env=prod,region in (eu,us)`" }),
};

export const listDeploymentsQuery = z.strictObject({ ...pageQueryFields, ...deploymentFilterFields });

export const fleetDeploymentsQuery = z.strictObject({
  ...pageQueryFields,
  ...deploymentFilterFields,
  bundle: z.string().min(1).max(63).optional().meta({ description: 'Only deployments of this bundle' }),
});

export const bundleSummariesQuery = z.strictObject({
  ...pageQueryFields,
  gitRepo: z.string().max(63).optional().meta({ description: 'Only bundles of this GitRepo; empty: bundles of no GitRepo' }),
  state: state.optional().meta({ description: 'Only bundles with at least one deployment in this displayed state' }),
});

export const deploymentSchema = z
  .object({
    deploymentId: z.uuid(),
    bundleName: z.string(),
    clusterId: z.uuid(),
    clusterName: z.string(),
    state,
    reason: z.string(),
    message: z.string(),
    desiredRevision: z.string().nullable().meta({ description: "The revision the cluster was given; null until the rollout reaches it (stagedRevision is what it will get)" }),
    stagedRevision: z.string().meta({ description: 'What the cluster will run once the rollout reaches it' }),
    appliedRevision: z.string().nullable(),
    reportedAt: z.string().nullable().meta({ description: 'When the stored status last changed (an unchanged report writes nothing); null before the first report' }),
  })
  .meta({ id: 'Deployment' });

const resourceSchema = z
  .object({
    apiVersion: z.string(),
    kind: z.string(),
    namespace: z.string(),
    name: z.string(),
    state,
    message: z.string(),
    diffs: z.array(z.object({ path: z.string(), desired: z.string(), live: z.string() })),
  })
  .meta({ id: 'ResourceStatus' });

export function registerStatusPaths(r: OpenAPIRegistry): void {
  const bundleStatus = pageSchema(deploymentSchema).extend({
    bundle: z.string(),
    revision: z.string().nullable().meta({ description: "The bundle's revision; null for a directory bundle (each deployment has its own)" }),
    total: z.number().meta({ description: 'Deployments of the bundle in every state' }),
    counts: z.record(state, z.number()).meta({ description: 'Deployments per state over the whole bundle (not just this page)' }),
    revisions: z.array(z.object({ revision: z.string(), staged: z.number(), deployed: z.number(), applied: z.number() })).meta({ description: 'Per revision: clusters that have it staged, deployed (given) and applied (running)' }),
  });
  r.registerPath({
    method: 'get',
    path: '/api/v1/bundles/{name}/status',
    summary: 'Counts by state over all deployments of a bundle, plus one page of them by cluster name',
    request: { params: bundleNameParams, query: listDeploymentsQuery },
    responses: { 200: json(bundleStatus, 'Bundle status'), ...errorResponses },
  });
  const bundleSummary = z
    .object({
      bundle: z.string(),
      gitRepo: z.string().nullable(),
      total: z.number(),
      counts: z.record(state, z.number()).meta({ description: 'Deployments per displayed state' }),
      worst: z.object({ state, reason: z.string(), message: z.string(), cluster: z.string() }).nullable().meta({ description: 'The worst state, and one deployment in it with its reason' }),
      rollout: z.object({ seq: z.number(), state: z.string(), message: z.string() }).nullable(),
    })
    .meta({ id: 'BundleSummary' });
  const gitRepoSummary = z
    .object({ gitRepo: z.string().nullable().meta({ description: 'null: the bundles of no GitRepo (API bundles)' }), bundles: z.number(), total: z.number(), counts: z.record(state, z.number()), worst: state.nullable() })
    .meta({ id: 'GitRepoSummary' });
  r.registerPath({ method: 'get', path: '/api/v1/status', summary: 'The fleet per GitRepo: bundles, deployments by state, the worst state', responses: { 200: json(z.array(gitRepoSummary), 'One entry per GitRepo, then the bundles of none'), ...errorResponses } });
  r.registerPath({ method: 'get', path: '/api/v1/status/bundles', summary: 'Counts by state for every bundle, with the worst state and its reason and the current rollout, a page at a time', request: { query: bundleSummariesQuery }, responses: { 200: json(pageSchema(bundleSummary), 'A page of bundle summaries'), ...errorResponses } });
  r.registerPath({ method: 'get', path: '/api/v1/deployments', summary: 'Deployments across the fleet by bundle and cluster: where revision X runs, which clusters are not on the latest revision', request: { query: fleetDeploymentsQuery }, responses: { 200: json(pageSchema(deploymentSchema), 'A page of deployments'), ...errorResponses } });
  r.registerPath({ method: 'get', path: '/api/v1/clusters/{id}/deployments', summary: "A cluster's deployments by bundle name, a page at a time", request: { params: idParams, query: listDeploymentsQuery }, responses: { 200: json(pageSchema(deploymentSchema), 'A page of deployments'), ...errorResponses } });
  r.registerPath({ method: 'get', path: '/api/v1/deployments/{id}', summary: 'One deployment with per-resource status and drift', request: { params: idParams }, responses: { 200: json(deploymentSchema.extend({ resources: z.array(resourceSchema) }), 'Deployment'), ...errorResponses } });
}
