import type { PipeTransform } from '@nestjs/common';
import type { z } from 'zod';
import { DomainError } from '../errors/domain-error.js';
import { issueMessage, REQUIRED, type RawIssue } from './issue-message.js';
import { findNul } from './nul-characters.js';

/**
 * Validates a request part with a zod schema; the first problem becomes a
 * 400 ValidationFailed naming the field (`body.labels.env`, `query.selector`).
 * Before the schema, every part is checked for NUL characters (which
 * PostgreSQL cannot store); a body must be present — it never defaults to `{}`.
 */
export class ZodPipe<T extends z.ZodType> implements PipeTransform<unknown, z.output<T>> {
  constructor(
    private readonly schema: T,
    private readonly part: 'body' | 'query' | 'params',
  ) {}

  transform(value: unknown): z.output<T> {
    if (value === undefined && this.part === 'body') {
      throw new DomainError('ValidationFailed', 'body is required: send a JSON object with content-type application/json', { field: 'body' });
    }
    const nul = findNul(value);
    if (nul) {
      const field = [this.part, ...nul.path.map(String)].join('.');
      const what = nul.inKey ? 'keys must not contain' : 'must not contain';
      throw new DomainError('ValidationFailed', `${field}: ${what} NUL characters (U+0000)`, { field });
    }
    const result = this.schema.safeParse(value ?? {}, { error: (issue) => issueMessage(issue as RawIssue) });
    if (result.success) return result.data;
    const issue = result.error.issues[0]!;
    const field = [this.part, ...issue.path.map(String)].join('.');
    const message = issue.message === REQUIRED ? `${field} is required` : `${field}: ${issue.message}`;
    throw new DomainError('ValidationFailed', message, { field });
  }
}

export const body = <T extends z.ZodType>(schema: T) => new ZodPipe(schema, 'body');
export const query = <T extends z.ZodType>(schema: T) => new ZodPipe(schema, 'query');
export const params = <T extends z.ZodType>(schema: T) => new ZodPipe(schema, 'params');
