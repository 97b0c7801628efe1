import { BundleTemplateError } from './bundle-template.error.js';

/** Bounds on one walk over a template (one parameter set). */
export interface TemplateWalkLimits {
  /** Most characters all rendered strings (keys included) may add up to. Default 256 KiB. */
  maxOutputChars: number;
  /** Most strings (values and keys) one template may hold. Default 10,000. */
  maxStrings: number;
  /** Deepest nesting of maps and lists (`helm.values` is free-form). Default 64. */
  maxDepth: number;
}

/** 256 KiB of output, 10,000 strings, 64 levels: far above a bundle spec, far below what hurts the hub. */
export const DEFAULT_TEMPLATE_WALK_LIMITS: Readonly<TemplateWalkLimits> = Object.freeze({
  maxOutputChars: 256 * 1024,
  maxStrings: 10_000,
  maxDepth: 64,
});

/** Called for every string of the template (a map key or a value) with its field path; returns what it becomes. */
export type StringVisitor = (text: string, field: string, budget: number) => string;

/** `template.helm.values.replicas`, `template.targets[0].clusterName`. */
export function childField(parent: string, key: string | number): string {
  return typeof key === 'number' ? `${parent}[${key}]` : `${parent}.${key}`;
}

/** Formats a zod issue path under `root` as childField does. */
export function issueField(root: string, path: readonly PropertyKey[]): string {
  return path.reduce<string>((at, key) => childField(at, typeof key === 'number' ? key : String(key)), root);
}

/**
 * Copies a JSON-like `value`, passing every string and every map key through `visit` (Argo CD's
 * `deeplyReplace` does the same, keys included). Numbers, booleans and null are copied; a key whose
 * value is undefined is dropped. What `visit` returns is used as is, never visited again.
 * Throws BundleTemplateError `OutputTooLarge` past a bound, `InvalidOutput` for a non-JSON value, a
 * key `__proto__`, or two keys of one map that come out the same.
 */
export function mapTemplateStrings(value: unknown, field: string, visit: StringVisitor, limits: TemplateWalkLimits, paramSetIndex?: number): unknown {
  let strings = 0;
  let chars = 0;
  const fail = (reason: 'OutputTooLarge' | 'InvalidOutput', detail: string, at: string): never => {
    throw new BundleTemplateError(reason, detail, at, paramSetIndex);
  };
  const str = (text: string, at: string): string => {
    if (++strings > limits.maxStrings) fail('OutputTooLarge', `template holds more than ${limits.maxStrings} strings`, at);
    const out = visit(text, at, limits.maxOutputChars - chars);
    chars += out.length;
    if (chars > limits.maxOutputChars) fail('OutputTooLarge', `rendered template larger than ${limits.maxOutputChars} characters`, at);
    return out;
  };
  const walk = (v: unknown, at: string, depth: number): unknown => {
    if (typeof v === 'string') return str(v, at);
    if (v === null || typeof v === 'number' || typeof v === 'boolean') return v;
    if (depth >= limits.maxDepth) return fail('OutputTooLarge', `template nested deeper than ${limits.maxDepth} levels`, at);
    if (Array.isArray(v)) return v.map((item, i) => walk(item, childField(at, i), depth + 1));
    if (!isJsonObject(v)) return fail('InvalidOutput', `not a JSON value (${typeof v})`, at);
    const out = new Map<string, unknown>();
    for (const [key, item] of Object.entries(v)) {
      if (item === undefined) continue;
      const keyAt = childField(at, key);
      const renderedKey = str(key, keyAt);
      if (out.has(renderedKey)) fail('InvalidOutput', `two keys of ${at} both come out as "${renderedKey}"`, keyAt);
      // Plain assignment (zod's, a spread's) would make this key the map's prototype, not data.
      if (renderedKey === '__proto__') fail('InvalidOutput', 'a key may not be "__proto__"', keyAt);
      out.set(renderedKey, walk(item, keyAt, depth + 1));
    }
    return Object.fromEntries(out);
  };
  return walk(value, field, 0);
}

function isJsonObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}
