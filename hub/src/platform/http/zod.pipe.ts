import type { PipeTransform } from '@nestjs/common';
import type { z } from 'zod';
import { DomainError } from '../errors/domain-error.js';

/**
 * Validates a request part with a zod schema; the first problem becomes a
 * 400 ValidationFailed naming the field (`body.labels.env`, `query.selector`).
 */
export class ZodPipe<T extends z.ZodType> implements PipeTransform<unknown, z.output<T>> {
  constructor(
    private readonly schema: T,
    private readonly part: 'body' | 'query' | 'params',
  ) {}

  transform(value: unknown): z.output<T> {
    const result = this.schema.safeParse(value ?? {});
    if (result.success) return result.data;
    const issue = result.error.issues[0]!;
    const field = [this.part, ...issue.path.map(String)].join('.');
    // zod leaves `input` unset on some issues (e.g. `.int()`), so look the field up.
    const missing = issue.code === 'invalid_type' && issue.input === undefined && valueAt(value, issue.path) === undefined;
    const message = missing ? `${field} is required` : `${field}: ${issue.message}`;
    throw new DomainError('ValidationFailed', message, { field });
  }
}

export const body = <T extends z.ZodType>(schema: T) => new ZodPipe(schema, 'body');
export const query = <T extends z.ZodType>(schema: T) => new ZodPipe(schema, 'query');
export const params = <T extends z.ZodType>(schema: T) => new ZodPipe(schema, 'params');

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let at = value;
  for (const key of path) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<PropertyKey, unknown>)[key];
  }
  return at;
}
