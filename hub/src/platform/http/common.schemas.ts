import { z } from 'zod';

export const labelsSchema = z.record(z.string(), z.string()).meta({ id: 'Labels', description: 'Kubernetes-style labels' });

export const labelSelectorSchema = z
  .strictObject({
    matchLabels: z.record(z.string(), z.string()).optional(),
    matchExpressions: z
      .array(
        z.strictObject({
          key: z.string(),
          operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']),
          values: z.array(z.string()).optional(),
        }),
      )
      .optional(),
  })
  .meta({ id: 'LabelSelector', description: 'Kubernetes metav1.LabelSelector; empty matches every cluster' });

export const errorSchema = z
  .object({ error: z.string(), message: z.string(), field: z.string().optional() })
  .meta({ id: 'Error', description: 'Every 4xx/5xx body: a reason code, a message, and the offending field when known' });

/** Largest value of a PostgreSQL `integer` column (Prisma `Int`): a bound for every Int a request sets. */
export const INT32_MAX = 2 ** 31 - 1;

export const idParams = z.strictObject({ id: z.uuid({ message: 'must be a UUID' }) });

/** Standard error responses of authenticated routes. */
export const errorResponses = {
  400: { description: 'Invalid input; `field` names it', content: { 'application/json': { schema: errorSchema } } },
  401: { description: 'Missing or invalid API token', content: { 'application/json': { schema: errorSchema } } },
  403: { description: 'The token role may not do this', content: { 'application/json': { schema: errorSchema } } },
  404: { description: 'Not found', content: { 'application/json': { schema: errorSchema } } },
} as const;

export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
