import { z } from 'zod';
import { DomainError } from '../errors/domain-error.js';

/**
 * Cursor (keyset) pagination shared by every list endpoint.
 *
 * - `?limit=` page size, 1..1000, default 100.
 * - `?cursor=` the `nextCursor` of the previous page: opaque base64url of the
 *   JSON array of the last row's sort key (e.g. `["web"]`, or
 *   `["2026-12-01T22:00:00.000Z","<uuid>"]`). Rows are read strictly after that
 *   key in a stable total order, so inserts and deletes between pages never make
 *   a page skip or repeat a row that existed throughout.
 * - Response `{ items, nextCursor }`; `nextCursor` is null on the last page.
 */

/** Default page size when `?limit=` is absent. */
export const DEFAULT_PAGE_LIMIT = 100;
/** Largest accepted `?limit=`. */
export const MAX_PAGE_LIMIT = 1000;

/** Query fields every list endpoint accepts; extend with the endpoint's filters. */
export const pageQueryFields = {
  limit: z.coerce
    .number({ message: 'must be an integer' })
    .int('must be an integer')
    .min(1, 'must be at least 1')
    .max(MAX_PAGE_LIMIT, `must be at most ${MAX_PAGE_LIMIT}`)
    .default(DEFAULT_PAGE_LIMIT)
    .meta({ description: `Page size, 1..${MAX_PAGE_LIMIT} (default ${DEFAULT_PAGE_LIMIT})` }),
  cursor: z.string().max(2048).optional().meta({ description: '`nextCursor` of the previous page' }),
};

export interface PageRequest {
  /** Page size (already validated). */
  limit: number;
  /** Opaque cursor from a previous page, if any. */
  cursor?: string | undefined;
}

export interface Page<T> {
  items: T[];
  /** Cursor of the next page; null when this is the last. */
  nextCursor: string | null;
}

/** OpenAPI/zod schema of a page of `item`. */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

export function encodeCursor(key: readonly string[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/**
 * Decodes a cursor into its sort key of `arity` strings; undefined when no
 * cursor was given. A malformed cursor is a 400 naming `query.cursor`.
 */
export function decodeCursor(cursor: string | undefined, arity: number): string[] | undefined {
  if (cursor === undefined) return undefined;
  const bad = (): never => {
    throw new DomainError('ValidationFailed', 'query.cursor: is not a cursor returned by this endpoint', { field: 'query.cursor' });
  };
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) bad();
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return bad();
  }
  if (!Array.isArray(key) || key.length !== arity || !key.every((k) => typeof k === 'string')) bad();
  return key as string[];
}

/** A cursor key holding an ISO timestamp (for createdAt-ordered lists). */
export function cursorDate(value: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new DomainError('ValidationFailed', 'query.cursor: is not a cursor returned by this endpoint', { field: 'query.cursor' });
  }
  return date;
}

/** A cursor key that must be a UUID (the id tie-breaker). */
export function cursorUuid(value: string): string {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) {
    throw new DomainError('ValidationFailed', 'query.cursor: is not a cursor returned by this endpoint', { field: 'query.cursor' });
  }
  return value;
}

/**
 * Builds a page from rows read with `take: limit + 1`: the extra row only
 * tells that another page exists.
 */
export function toPage<R, T>(rows: R[], limit: number, keyOf: (row: R) => string[], map: (row: R) => T): Page<T> {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  return { items: kept.map(map), nextCursor: more ? encodeCursor(keyOf(kept[kept.length - 1]!)) : null };
}

/**
 * Keyset condition for lists ordered newest first by `(createdAt desc, id desc)`:
 * rows strictly after the cursor's `[createdAt, id]`; `{}` without a cursor.
 */
export function newestFirstAfter(cursor: string | undefined): { OR?: [{ createdAt: { lt: Date } }, { createdAt: Date; id: { lt: string } }] } {
  const key = decodeCursor(cursor, 2);
  if (!key) return {};
  const createdAt = cursorDate(key[0]!);
  const id = cursorUuid(key[1]!);
  return { OR: [{ createdAt: { lt: createdAt } }, { createdAt, id: { lt: id } }] };
}

/** Sort order matching `newestFirstAfter`. */
export const NEWEST_FIRST = [{ createdAt: 'desc' }, { id: 'desc' }] as const;

/** Cursor key of a newest-first row. */
export const newestFirstKey = (row: { createdAt: Date; id: string }): string[] => [row.createdAt.toISOString(), row.id];

/** `?status=` of token lists. */
export const tokenStatusField = z.enum(['active', 'revoked']).optional().meta({ description: 'Only active (usable) or only revoked tokens; default both' });
