/** Go-like views of JSON values: how text/template prints and tests them. */

export type PlainObject = Record<string, unknown>;

export function isPlainObject(v: unknown): v is PlainObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Go's `truth`: false, 0, "", nil and empty lists/maps are false. */
export function isTruthy(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (isPlainObject(v)) return Object.keys(v).length > 0;
  return true;
}

/**
 * What `fmt.Sprint` prints for a value decoded from JSON: nil is `<no value>` at the top level of an
 * action (Go's text/template), maps print as `map[k:v]` with sorted keys, lists as `[a b]`.
 */
export function formatValue(v: unknown, top = true): string {
  if (v === undefined || v === null) return top ? '<no value>' : '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map((x) => formatValue(x, false)).join(' ')}]`;
  if (isPlainObject(v)) {
    const keys = Object.keys(v).sort();
    return `map[${keys.map((k) => `${k}:${formatValue(v[k], false)}`).join(' ')}]`;
  }
  return String(v);
}

/** Go's `%v` of a float64: shortest form, exponent from 1e21. */
export function formatNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n);
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : '-Inf';
  const s = String(n);
  // JS writes 1e+21 and 1e-7 like Go, but Go pads the exponent to two digits.
  return s.replace(/e([+-])(\d)$/, 'e$10$2');
}

/** Go's `%s`-ish string view used by string functions (Sprig's `toString`/`strval`). */
export function toStr(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === undefined || v === null) return '<nil>';
  return formatValue(v, false);
}

export function typeName(v: unknown): string {
  if (v === undefined || v === null) return 'nil';
  if (Array.isArray(v)) return '[]interface {}';
  if (isPlainObject(v)) return 'map[string]interface {}';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float64';
  return typeof v === 'boolean' ? 'bool' : 'string';
}
