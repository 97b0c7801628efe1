import { createHash } from 'node:crypto';

/**
 * Identifies one generator entry as written, whatever its key order (an
 * entry read back from PostgreSQL's jsonb has its keys reordered): the
 * empty-result guard compares an entry's count only with the same entry's
 * count at the last evaluation.
 */
export function entryDigest(entry: unknown): string {
  return createHash('sha256').update(canonical(entry)).digest('hex').slice(0, 32);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
