import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DomainError } from '../errors/domain-error.js';
import { body, query } from './zod.pipe.js';

const schema = z.strictObject({
  name: z.string().min(1).max(8),
  ttlSeconds: z.number().int().min(60).optional(),
  ratio: z.number().optional(),
  flag: z.boolean().optional(),
  labels: z.record(z.string(), z.string()).optional(),
  role: z.enum(['admin', 'readonly']).optional(),
  tags: z.array(z.string()).max(2).optional(),
  code: z.string().regex(/^[a-z]+$/, 'must be lower-case letters').optional(),
});

function failure(run: () => unknown): { message: string; field: string | undefined } {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    const e = error as DomainError;
    expect(e.reason).toBe('ValidationFailed');
    return { message: e.message, field: e.field };
  }
  throw new Error('expected a ValidationFailed error');
}

const fails = (value: unknown) => failure(() => body(schema).transform(value));

describe('ZodPipe messages', () => {
  it.each([
    [{ name: 'a', ttlSeconds: 'x' }, 'body.ttlSeconds', 'body.ttlSeconds: must be an integer, not a string'],
    [{ name: 'a', ttlSeconds: 61.5 }, 'body.ttlSeconds', 'body.ttlSeconds: must be an integer'],
    [{ name: 'a', ttlSeconds: null }, 'body.ttlSeconds', 'body.ttlSeconds: must be an integer, not null'],
    [{ name: 'a', ttlSeconds: 1 }, 'body.ttlSeconds', 'body.ttlSeconds: must be at least 60'],
    [{ name: 'a', ratio: '1' }, 'body.ratio', 'body.ratio: must be a number, not a string'],
    [{ name: 'a', flag: 'yes' }, 'body.flag', 'body.flag: must be true or false, not a string'],
    [{ name: 'a', labels: { env: 1 } }, 'body.labels.env', 'body.labels.env: must be a string, not a number'],
    [{ name: 'a', labels: [] }, 'body.labels', 'body.labels: must be an object, not an array'],
    [{ name: 'a', role: 'root' }, 'body.role', 'body.role: must be one of "admin", "readonly"'],
    [{ name: 'a', tags: ['a', 'b', 'c'] }, 'body.tags', 'body.tags: must have at most 2 items'],
    [{ name: '' }, 'body.name', 'body.name: must not be empty'],
    [{ name: 'abcdefghi' }, 'body.name', 'body.name: must be at most 8 characters long'],
    [{ name: 'a', code: 'A' }, 'body.code', 'body.code: must be lower-case letters'],
    [{ name: 'a', extra: 1 }, 'body', 'body: unknown field "extra"'],
    [{}, 'body.name', 'body.name is required'],
    ['text', 'body', 'body: must be an object, not a string'],
  ])('%j → %s', (value, field, message) => {
    expect(fails(value)).toEqual({ field, message });
  });

  it('never defaults a missing body to {}', () => {
    expect(fails(undefined)).toEqual({ field: 'body', message: 'body is required: send a JSON object with content-type application/json' });
    expect(failure(() => body(z.strictObject({ name: z.string().optional() })).transform(undefined)).field).toBe('body');
  });

  it('still treats a missing query as empty', () => {
    expect(query(z.strictObject({ limit: z.string().optional() })).transform(undefined)).toEqual({});
  });

  it.each([
    [{ name: 'a\u0000' }, 'body.name', 'body.name: must not contain NUL characters (U+0000)'],
    [{ name: 'a', labels: { env: 'x\u0000y' } }, 'body.labels.env', 'body.labels.env: must not contain NUL characters (U+0000)'],
    [{ name: 'a', labels: { 'e\u0000': 'x' } }, 'body.labels', 'body.labels: keys must not contain NUL characters (U+0000)'],
    [{ name: 'a', tags: ['ok', '\u0000'] }, 'body.tags.1', 'body.tags.1: must not contain NUL characters (U+0000)'],
  ])('rejects NUL in %j naming %s', (value, field, message) => {
    expect(fails(value)).toEqual({ field, message });
  });

  it('passes valid input through', () => {
    expect(body(schema).transform({ name: 'a', ttlSeconds: 60, labels: { env: 'dev' } })).toEqual({ name: 'a', ttlSeconds: 60, labels: { env: 'dev' } });
  });
});
