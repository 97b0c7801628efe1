import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { errorResponses, json } from '../platform/http/common.schemas.js';
import { kindProblem } from './event-filter.js';

const kindsParam = z
  .string()
  .max(1024)
  .transform((v, ctx) => {
    const kinds = v.split(',').map((k) => k.trim()).filter(Boolean);
    for (const k of kinds) {
      const problem = kindProblem(k);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }
    return kinds;
  })
  .optional()
  .meta({ description: 'Comma-separated event kinds, exact or a prefix such as `rollout.*`' });

const cursor = z.string().regex(/^\d{1,19}$/, 'must be an event id (a number) from this stream').optional();

const filterFields = {
  kind: kindsParam,
  bundle: z.string().max(253).optional(),
  cluster: z.string().max(253).optional(),
  gitRepo: z.string().max(253).optional(),
  severity: z.enum(['info', 'warning', 'error']).optional(),
};

export const streamQuery = z.strictObject({ ...filterFields, after: cursor.meta({ description: 'Resume after this event id (the Last-Event-ID header wins)' }) });

export const historyQuery = z.strictObject({
  ...filterFields,
  after: cursor.meta({ description: 'Events after this id; default: from the oldest kept' }),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export const eventSchema = z
  .object({
    id: z.string().meta({ description: 'Event id: increasing in commit order (Last-Event-ID)' }),
    kind: z.string(),
    at: z.string(),
    bundle: z.string(),
    cluster: z.string(),
    gitRepo: z.string(),
    severity: z.enum(['info', 'warning', 'error']),
    message: z.string(),
    data: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'FleetEvent' });

export function registerEventPaths(r: OpenAPIRegistry): void {
  r.registerPath({
    method: 'get',
    path: '/api/v1/events',
    summary: 'Live stream of fleet events (Server-Sent Events: id, event = kind, data = FleetEvent JSON), filterable, resumable with Last-Event-ID',
    request: { query: streamQuery },
    responses: { 200: { description: 'text/event-stream', content: { 'text/event-stream': { schema: eventSchema } } }, ...errorResponses },
  });
  r.registerPath({
    method: 'get',
    path: '/api/v1/events/history',
    summary: 'Fleet events after an id, oldest first, a page at a time',
    request: { query: historyQuery },
    responses: { 200: json(z.object({ items: z.array(eventSchema), nextAfter: z.string().nullable() }), 'A page of events'), ...errorResponses },
  });
}
