import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { pageQueryFields, pageSchema, tokenStatusField } from '../platform/http/pagination.js';
import { errorResponses, errorSchema, idParams, json } from '../platform/http/common.schemas.js';

export const createApiTokenBody = z
  .strictObject({ name: z.string().min(1).max(128), role: z.enum(['admin', 'readonly']) })
  .meta({ id: 'CreateApiToken' });

export const listApiTokensQuery = z.strictObject({ ...pageQueryFields, status: tokenStatusField });

export const apiTokenSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    role: z.enum(['admin', 'readonly']),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    revoked: z.boolean(),
  })
  .meta({ id: 'ApiToken' });

export function registerApiTokenPaths(r: OpenAPIRegistry): void {
  const created = apiTokenSchema.extend({ token: z.string().meta({ description: 'The secret token, shown only in this response' }) });
  r.registerPath({ method: 'post', path: '/api/v1/api-tokens', summary: 'Create an API token (admin; secret shown once)', request: { body: { content: { 'application/json': { schema: createApiTokenBody } } } }, responses: { 201: json(created, 'Created token'), ...errorResponses } });
  r.registerPath({ method: 'get', path: '/api/v1/api-tokens', summary: 'List API tokens (admin), newest first, a page at a time', request: { query: listApiTokensQuery }, responses: { 200: json(pageSchema(apiTokenSchema), 'A page of tokens'), ...errorResponses } });
  r.registerPath({
    method: 'delete',
    path: '/api/v1/api-tokens/{id}',
    summary: 'Revoke an API token (admin)',
    description:
      'Without FLOTILLA_BOOTSTRAP_TOKEN, the last active admin token cannot be revoked (409 LastAdminToken): it is the only way left to administer the hub. Create another admin token first. With a bootstrap token configured, that token stays an admin and any stored token may be revoked.',
    request: { params: idParams },
    responses: { 204: { description: 'Revoked' }, ...errorResponses, 409: json(errorSchema, 'LastAdminToken: the last active admin token (no bootstrap token configured)') },
  });
}
