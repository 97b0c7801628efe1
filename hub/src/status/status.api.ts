import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { errorResponses, idParams, json } from '../platform/http/common.schemas.js';
import { bundleNameParams } from '../bundles/bundle.api.js';

const state = z.enum(['Ready', 'NotReady', 'Pending', 'OutOfSync', 'Modified', 'WaitApplied', 'ErrApplied']);

export const deploymentSchema = z
  .object({
    deploymentId: z.uuid(),
    bundleName: z.string(),
    clusterId: z.uuid(),
    clusterName: z.string(),
    state,
    reason: z.string(),
    message: z.string(),
    desiredRevision: z.string(),
    appliedRevision: z.string().nullable(),
    reportedAt: z.string().nullable(),
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
  r.registerPath({
    method: 'get',
    path: '/api/v1/bundles/{name}/status',
    summary: 'Per-cluster state of a bundle, with counts by state',
    request: { params: bundleNameParams },
    responses: { 200: json(z.object({ bundle: z.string(), revision: z.string(), counts: z.record(state, z.number()), clusters: z.array(deploymentSchema) }), 'Bundle status'), ...errorResponses },
  });
  r.registerPath({ method: 'get', path: '/api/v1/clusters/{id}/deployments', summary: "A cluster's deployments", request: { params: idParams }, responses: { 200: json(z.array(deploymentSchema), 'Deployments'), ...errorResponses } });
  r.registerPath({ method: 'get', path: '/api/v1/deployments/{id}', summary: 'One deployment with per-resource status and drift', request: { params: idParams }, responses: { 200: json(deploymentSchema.extend({ resources: z.array(resourceSchema) }), 'Deployment'), ...errorResponses } });
}
