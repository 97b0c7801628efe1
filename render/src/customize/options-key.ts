/**
 * Canonical JSON (object keys sorted, undefined dropped): two clusters get the same key exactly when
 * their effective options are equal, so the hub renders once per distinct customisation.
 */
export function canonicalKey(value: unknown): string {
  return JSON.stringify(sortDeep(value));
}

function sortDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map((x) => (x === undefined ? null : sortDeep(x)));
  if (typeof v === 'object' && v !== null) {
    const o = v as Record<string, unknown>;
    return Object.fromEntries(Object.keys(o).sort().filter((k) => o[k] !== undefined).map((k) => [k, sortDeep(o[k])]));
  }
  return v;
}
