import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { DNS_LABEL_MAX_LENGTH, DNS_LABEL_PATTERN } from '@flotilla/core';
import { errorResponses, errorSchema, idParams, json, labelSelectorSchema, labelsSchema } from '../platform/http/common.schemas.js';
import { pageQueryFields, pageSchema } from '../platform/http/pagination.js';

const connectionSchema = z.enum(['pending', 'online', 'offline', 'revoked']);

export const clusterSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    labels: labelsSchema,
    connection: connectionSchema,
    agentVersion: z.string(),
    lastSeenAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'Cluster' });

export const listClustersQuery = z.strictObject({
  ...pageQueryFields,
  selector: z.string().max(4096).optional().meta({ description: 'Label selector, e.g. `env=prod,region in (eu,us)`, `gpu` (exists), `!gpu`' }),
  connection: connectionSchema.optional().meta({ description: 'Only clusters in this connection state' }),
  namePrefix: z.string().min(1).max(253).optional().meta({ description: 'Only clusters whose name starts with this' }),
});

export const listGroupsQuery = z.strictObject({
  ...pageQueryFields,
  namePrefix: z.string().regex(/^[a-z0-9-]{1,63}$/, 'must be 1 to 63 lower-case alphanumerics or "-"').optional().meta({ description: 'Only groups whose name starts with this' }),
});

export const patchClusterBody = z
  .strictObject({
    labels: z
      .record(z.string(), z.string().nullable())
      .meta({ description: 'Merge patch: a string sets a label, null removes it' }),
  })
  .meta({ id: 'PatchCluster' });

const groupName = z.string().regex(DNS_LABEL_PATTERN, 'must be a DNS label (lower-case alphanumerics and "-")').max(DNS_LABEL_MAX_LENGTH);

export const createGroupBody = z
  .strictObject({ name: groupName, description: z.string().max(1024).optional(), selector: labelSelectorSchema })
  .meta({ id: 'CreateClusterGroup' });

export const updateGroupBody = z
  .strictObject({ name: groupName.optional(), description: z.string().max(1024).optional(), selector: labelSelectorSchema.optional() })
  .meta({ id: 'UpdateClusterGroup' });

export const clusterGroupSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    description: z.string(),
    selector: labelSelectorSchema,
    members: z.array(clusterSchema.pick({ id: true, name: true, connection: true })),
    createdAt: z.string(),
  })
  .meta({ id: 'ClusterGroup' });

const inUse = { 409: json(errorSchema, 'ClusterGroupInUse: bundles target the group by name (the message names them); or, on rename, ClusterGroupExists') };

export function registerClusterPaths(r: OpenAPIRegistry): void {
  const id = { params: idParams };
  r.registerPath({ method: 'get', path: '/api/v1/clusters', summary: 'List clusters by name, a page at a time, filtered by label selector, connection and name prefix', request: { query: listClustersQuery }, responses: { 200: json(pageSchema(clusterSchema), 'A page of clusters'), ...errorResponses } });
  r.registerPath({ method: 'get', path: '/api/v1/clusters/{id}', summary: 'Get a cluster', request: id, responses: { 200: json(clusterSchema, 'Cluster'), ...errorResponses } });
  r.registerPath({ method: 'patch', path: '/api/v1/clusters/{id}', summary: 'Update cluster labels', request: { ...id, body: { content: { 'application/json': { schema: patchClusterBody } } } }, responses: { 200: json(clusterSchema, 'Updated cluster'), ...errorResponses } });
  r.registerPath({ method: 'post', path: '/api/v1/clusters/{id}/revoke', summary: 'Revoke the cluster credential and close its stream', request: id, responses: { 200: json(clusterSchema, 'Revoked cluster'), ...errorResponses } });
  r.registerPath({ method: 'delete', path: '/api/v1/clusters/{id}', summary: 'Deregister a cluster', request: id, responses: { 204: { description: 'Deregistered' }, ...errorResponses } });
  r.registerPath({ method: 'get', path: '/api/v1/cluster-groups', summary: 'List cluster groups with their members, by name, a page at a time', request: { query: listGroupsQuery }, responses: { 200: json(pageSchema(clusterGroupSchema), 'A page of groups'), ...errorResponses } });
  r.registerPath({ method: 'post', path: '/api/v1/cluster-groups', summary: 'Create a cluster group', request: { body: { content: { 'application/json': { schema: createGroupBody } } } }, responses: { 201: json(clusterGroupSchema, 'Created group'), ...errorResponses, 409: json(z.any(), 'Name taken') } });
  r.registerPath({ method: 'get', path: '/api/v1/cluster-groups/{id}', summary: 'Get a cluster group with its members', request: id, responses: { 200: json(clusterGroupSchema, 'Group'), ...errorResponses } });
  r.registerPath({ method: 'patch', path: '/api/v1/cluster-groups/{id}', summary: 'Update a cluster group', request: { ...id, body: { content: { 'application/json': { schema: updateGroupBody } } } }, responses: { 200: json(clusterGroupSchema, 'Group'), ...errorResponses, ...inUse } });
  r.registerPath({ method: 'delete', path: '/api/v1/cluster-groups/{id}', summary: 'Delete a cluster group (refused while bundles target it)', request: id, responses: { 204: { description: 'Deleted' }, ...errorResponses, ...inUse } });
}
