/**
 * Fleet's `merge.ByKey` with "custom wins": a custom entry replaces the base entry with the same key in
 * place, new keys are appended, entries without a key are always appended, a key repeated in `custom`
 * counts once (its first occurrence).
 */
export function mergeByKey<T>(base: readonly T[], custom: readonly T[], key: (item: T) => string): T[] {
  if (custom.length === 0) return [...base];
  const index = new Map<string, number>();
  base.forEach((item, i) => {
    const k = key(item);
    if (k) index.set(k, i);
  });
  const result = [...base];
  const seen = new Set<string>();
  for (const item of custom) {
    const k = key(item);
    if (k) {
      if (seen.has(k)) continue;
      seen.add(k);
      const at = index.get(k);
      if (at !== undefined) {
        result[at] = item;
        continue;
      }
    }
    result.push(item);
  }
  return result;
}

/** wrangler's `data.MergeMaps`: maps merge recursively, anything else in `overlay` replaces. */
export function mergeMaps(base: Record<string, unknown>, overlay: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(overlay)) {
    const b = result[k];
    result[k] = isMap(b) && isMap(v) ? mergeMaps(b, v) : v;
  }
  return result;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
