import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { DNS_LABEL_PATTERN } from '@flotilla/core';
import { z } from 'zod';
import { errorResponses, json } from '../../platform/http/common.schemas.js';
import { pageQueryFields, pageSchema } from '../../platform/http/pagination.js';
import { kindProblem } from '../event-filter.js';

export const webhookNameParams = z.strictObject({ name: z.string().max(63).regex(DNS_LABEL_PATTERN, 'must be a DNS label') });

const url = z
  .string()
  .max(2048)
  .refine((v) => {
    try {
      const u = new URL(v);
      return (u.protocol === 'http:' || u.protocol === 'https:') && u.username === '' && u.password === '';
    } catch {
      return false;
    }
  }, 'must be an http:// or https:// URL without credentials');

export const putWebhookBody = z
  .strictObject({
    url,
    secret: z.string().min(16, 'must be at least 16 characters').max(1024).meta({ description: 'Write-only: the HMAC-SHA256 signing secret' }),
    kinds: z
      .array(z.string().max(64))
      .max(50)
      .default([])
      .superRefine((kinds, ctx) => {
        kinds.forEach((k, i) => {
          const problem = kindProblem(k);
          if (problem) ctx.addIssue({ code: 'custom', message: problem, path: [i] });
        });
      })
      .meta({ description: 'Event kinds (exact, or a prefix such as rollout.*); empty: every kind' }),
    bundle: z.string().max(253).default(''),
    cluster: z.string().max(253).default(''),
    format: z.enum(['json', 'slack']).default('json'),
    enabled: z.boolean().default(true),
  })
  .meta({ id: 'PutWebhook' });

export type PutWebhook = z.output<typeof putWebhookBody>;

export const deliveriesQuery = z.strictObject({ ...pageQueryFields, state: z.enum(['Pending', 'Delivered', 'Failed']).optional() });

const webhookSchema = z
  .object({
    name: z.string(),
    url: z.string(),
    kinds: z.array(z.string()),
    bundle: z.string(),
    cluster: z.string(),
    format: z.enum(['json', 'slack']),
    enabled: z.boolean(),
    cursor: z.string().meta({ description: 'The last event id turned into deliveries' }),
    deliveries: z.object({ Pending: z.number(), Delivered: z.number(), Failed: z.number() }),
    createdAt: z.string(),
  })
  .meta({ id: 'Webhook' });

const deliverySchema = z
  .object({
    id: z.string(),
    event: z.string().meta({ description: 'Event id' }),
    kind: z.string(),
    state: z.enum(['Pending', 'Delivered', 'Failed']),
    attempts: z.number(),
    lastStatus: z.number().nullable(),
    lastError: z.string(),
    createdAt: z.string(),
    deliveredAt: z.string().nullable(),
  })
  .meta({ id: 'WebhookDelivery' });

export function registerWebhookPaths(r: OpenAPIRegistry): void {
  const name = { params: webhookNameParams };
  r.registerPath({ method: 'put', path: '/api/v1/webhooks/{name}', summary: 'Create or replace a webhook subscription (events from now on)', request: { ...name, body: { content: { 'application/json': { schema: putWebhookBody } } } }, responses: { 200: json(webhookSchema, 'Updated'), 201: json(webhookSchema, 'Created'), ...errorResponses } });
  r.registerPath({ method: 'get', path: '/api/v1/webhooks', summary: 'List webhook subscriptions', request: { query: z.strictObject({ ...pageQueryFields }) }, responses: { 200: json(pageSchema(webhookSchema), 'A page of subscriptions'), ...errorResponses } });
  r.registerPath({ method: 'get', path: '/api/v1/webhooks/{name}', summary: 'One webhook subscription with delivery counts', request: name, responses: { 200: json(webhookSchema, 'Subscription'), ...errorResponses } });
  r.registerPath({ method: 'delete', path: '/api/v1/webhooks/{name}', summary: 'Delete a webhook subscription and its deliveries', request: name, responses: { 204: { description: 'Deleted' }, ...errorResponses } });
  r.registerPath({ method: 'get', path: '/api/v1/webhooks/{name}/deliveries', summary: 'Deliveries of a subscription, newest first: state, attempts, last status', request: { ...name, query: deliveriesQuery }, responses: { 200: json(pageSchema(deliverySchema), 'A page of deliveries'), ...errorResponses } });
}
