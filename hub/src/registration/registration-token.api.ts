import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { MAX_CLUSTER_LABELS } from '@flotilla/core';
import { pageQueryFields, pageSchema, tokenStatusField } from '../platform/http/pagination.js';
import { errorResponses, idParams, INT32_MAX, json, labelsSchema } from '../platform/http/common.schemas.js';

export const createRegistrationTokenBody = z
  .strictObject({
    description: z.string().max(1024).optional(),
    ttlSeconds: z.number().int().min(60).max(366 * 24 * 3600).optional().meta({ description: 'Lifetime; absent = never expires' }),
    maxUses: z.number().int().min(1).max(INT32_MAX).optional().meta({ description: `Register calls allowed, 1..${INT32_MAX}; absent = unlimited` }),
    labels: labelsSchema.optional().meta({ description: `Labels given to clusters that join with the token (at most ${MAX_CLUSTER_LABELS}); the agent cannot change them` }),
    clusterId: z.uuid({ message: 'must be a UUID' }).nullable().optional().meta({
      description:
        'Bind the token to this existing cluster: it can then only re-attach that cluster (e.g. after its agent lost its credential Secret, or after a revoke). Absent/null = the token only registers new clusters',
    }),
    agentLabelKeys: z.array(z.string().max(320)).max(MAX_CLUSTER_LABELS).nullable().optional().meta({
      description:
        'Label keys the agent may set at Register: exact keys, or prefixes ending in "*" (`topology.kubernetes.io/*`). Absent/null = any key the token does not set; [] = none. Other agent labels are refused (AgentLabelNotAllowed)',
    }),
  })
  .meta({ id: 'CreateRegistrationToken' });

export const listRegistrationTokensQuery = z.strictObject({ ...pageQueryFields, status: tokenStatusField });

export const registrationTokenSchema = z
  .object({
    id: z.uuid(),
    description: z.string(),
    labels: labelsSchema,
    clusterId: z.uuid().nullable(),
    agentLabelKeys: z.array(z.string()).nullable(),
    expiresAt: z.string().nullable(),
    maxUses: z.number().nullable(),
    uses: z.number(),
    revoked: z.boolean(),
    createdAt: z.string(),
  })
  .meta({ id: 'RegistrationToken' });

export function registerRegistrationTokenPaths(r: OpenAPIRegistry): void {
  const created = registrationTokenSchema.extend({ token: z.string().meta({ description: 'The secret token, shown only in this response' }) });
  r.registerPath({ method: 'post', path: '/api/v1/registration-tokens', summary: 'Create a registration token (secret shown once)', request: { body: { content: { 'application/json': { schema: createRegistrationTokenBody } } } }, responses: { 201: json(created, 'Created token'), ...errorResponses } });
  r.registerPath({ method: 'get', path: '/api/v1/registration-tokens', summary: 'List registration tokens (no secrets), newest first, a page at a time', request: { query: listRegistrationTokensQuery }, responses: { 200: json(pageSchema(registrationTokenSchema), 'A page of tokens'), ...errorResponses } });
  r.registerPath({ method: 'delete', path: '/api/v1/registration-tokens/{id}', summary: 'Revoke a registration token', request: { params: idParams }, responses: { 204: { description: 'Revoked' }, ...errorResponses } });
}
