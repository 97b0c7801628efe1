import type { FunctionMap } from '../template.types.js';
import { isPlainObject } from '../template.values.js';
import { asDict, strval } from './convert.js';

/** Sprig's dictionary functions. `get` of a missing key is "" (Sprig), unlike `.Map.key` (an error). */
export const dictFunctions: FunctionMap = {
  dict: (...args) => {
    const d: Record<string, unknown> = {};
    for (let i = 0; i < args.length; i += 2) d[strval(args[i])] = i + 1 < args.length ? args[i + 1] : '';
    return d;
  },
  get: (d, key) => {
    const m = asDict(d, 'get');
    const k = strval(key);
    return Object.hasOwn(m, k) ? m[k] : '';
  },
  set: (d, key, value) => {
    asDict(d, 'set')[strval(key)] = value;
    return d;
  },
  unset: (d, key) => {
    delete asDict(d, 'unset')[strval(key)];
    return d;
  },
  hasKey: (d, key) => Object.hasOwn(asDict(d, 'hasKey'), strval(key)),
  // Go map order is random; sorted keeps a cluster's render stable.
  keys: (...dicts) => dicts.flatMap((d) => Object.keys(asDict(d, 'keys'))).sort(),
  values: (d) => {
    const m = asDict(d, 'values');
    return Object.keys(m).sort().map((k) => m[k]);
  },
  pluck: (key, ...dicts) => dicts.map((d) => asDict(d, 'pluck')).filter((d) => Object.hasOwn(d, strval(key))).map((d) => d[strval(key)]),
  pick: (d, ...keys) => {
    const m = asDict(d, 'pick');
    return Object.fromEntries(keys.map(strval).filter((k) => Object.hasOwn(m, k)).map((k) => [k, m[k]]));
  },
  omit: (d, ...keys) => {
    const drop = new Set(keys.map(strval));
    return Object.fromEntries(Object.entries(asDict(d, 'omit')).filter(([k]) => !drop.has(k)));
  },
  dig: (...args) => {
    const dict = asDict(args[args.length - 1], 'dig');
    const fallback = args[args.length - 2];
    let v: unknown = dict;
    for (const k of args.slice(0, -2).map(strval)) {
      if (!isPlainObject(v) || !Object.hasOwn(v, k)) return fallback;
      v = v[k];
    }
    return v;
  },
};
