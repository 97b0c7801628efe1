/** Helpers for plain JSON values (what objects are once read off the wire). */

export type JsonObject = Record<string, unknown>;

/** A non-null, non-array object. */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Structural equality of JSON values; key order does not matter, array order does. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => jsonEqual(v, b[i]));
  }
  if (!isObject(a) || !isObject(b)) return false;
  const keys = Object.keys(a).filter((k) => a[k] !== undefined);
  if (keys.length !== Object.keys(b).filter((k) => b[k] !== undefined).length) return false;
  return keys.every((k) => jsonEqual(a[k], b[k]));
}

/** JSON text of a value, `''` for an absent one (the FieldDiff convention). */
export function jsonText(value: unknown): string {
  return value === undefined ? '' : JSON.stringify(value);
}
