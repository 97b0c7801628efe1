import type { ParamSet } from './generator.types.js';

/** True for a plain JSON-like map (not an array, not null). */
export function isPlainMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * `base` deep-merged with `override`: maps merge key by key, anything else
 * (scalars, arrays) in `override` replaces what `base` has. Neither input
 * is changed.
 *
 * argo-cd uses `mergo.Merge(…, WithOverride)`, which never overrides with an
 * "empty" value (`false`, `0`, `""`); here an override always wins, so an
 * override `enabled: false` really disables.
 */
export function deepMerge(base: ParamSet, override: ParamSet): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const current = out[key];
    out[key] = isPlainMap(current) && isPlainMap(value) ? deepMerge(current, value) : value;
  }
  return out;
}

/** The value at a dotted path (`cluster.name`) of `params`, or undefined when a step is missing. */
export function valueAtPath(params: ParamSet, path: string): unknown {
  let current: unknown = params;
  for (const step of path.split('.')) {
    if (!isPlainMap(current) || !Object.hasOwn(current, step)) return undefined;
    current = current[step];
  }
  return current;
}
