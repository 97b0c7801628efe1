import { TemplateError } from '../template.error.js';
import { isPlainObject, toStr } from '../template.values.js';

/** Sprig's `strval`. */
export const strval = toStr;

/** spf13/cast `ToInt64` as Sprig uses it: numbers truncate, numeric strings parse, anything else is 0. */
export function toInt64(v: unknown): number {
  if (typeof v === 'number') return Math.trunc(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') {
    const s = v.trim();
    if (/^[+-]?(0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO]?[0-7]+|[0-9]+)$/.test(s)) {
      const neg = s.startsWith('-');
      const body = s.replace(/^[+-]/, '');
      const n = /^0[0-7]+$/.test(body) ? parseInt(body, 8) : Number(body);
      return neg ? -n : n;
    }
    // cast parses "3.7" only via ToFloat64 for ToInt; Sprig's int("3.7") is 0.
    return 0;
  }
  return 0;
}

/** spf13/cast `ToFloat64`. */
export function toFloat64(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') {
    const n = Number(v.trim());
    return v.trim() !== '' && Number.isFinite(n) ? n : 0;
  }
  return 0;
}

export function asList(v: unknown, fn: string): unknown[] {
  if (Array.isArray(v)) return v;
  if (v === undefined || v === null) return [];
  throw new TemplateError(`${fn}: cannot find first on type ${typeof v}`);
}

export function asDict(v: unknown, fn: string): Record<string, unknown> {
  if (isPlainObject(v)) return v;
  throw new TemplateError(`${fn}: wrong type for value; expected map[string]interface {}`);
}

export function wantArgs(fn: string, args: unknown[], min: number, max = min): void {
  if (args.length < min || args.length > max) {
    const want = min === max ? String(min) : `${min}..${max === Infinity ? 'n' : max}`;
    throw new TemplateError(`wrong number of args for ${fn}: want ${want} got ${args.length}`);
  }
}
