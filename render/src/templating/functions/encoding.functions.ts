import { createHash } from 'node:crypto';
import type { FunctionMap } from '../template.types.js';
import { isPlainObject } from '../template.values.js';
import { strval, toFloat64, toInt64 } from './convert.js';

/** Sprig's conversions and encodings: int, float64, toString, toJson, fromJson, b64enc, sha256sum, … */
export const encodingFunctions: FunctionMap = {
  int: (v) => toInt64(v),
  int64: (v) => toInt64(v),
  float64: (v) => toFloat64(v),
  atoi: (v) => (/^[+-]?\d+$/.test(strval(v)) ? Number(strval(v)) : 0),
  toString: (v: unknown) => strval(v),
  toStrings: (v) => (Array.isArray(v) ? v.map((x) => (x === null || x === undefined ? '' : strval(x))) : [strval(v)]),
  toJson: (v) => goJson(v, 0, true),
  toRawJson: (v) => goJson(v, 0, false),
  toPrettyJson: (v) => goJson(v, 2, true),
  fromJson: (s) => {
    try {
      return JSON.parse(strval(s)) as unknown;
    } catch {
      return {};
    }
  },
  b64enc: (s) => Buffer.from(strval(s)).toString('base64'),
  b64dec: (s) => {
    const str = strval(s);
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(str) || str.length % 4 !== 0) return 'illegal base64 data at input byte 0';
    return Buffer.from(str, 'base64').toString('utf8');
  },
  sha256sum: (s) => createHash('sha256').update(strval(s)).digest('hex'),
  sha1sum: (s) => createHash('sha1').update(strval(s)).digest('hex'),
};

/** encoding/json: map keys sorted; `<`, `>`, `&` escaped unless raw (toRawJson). */
function goJson(v: unknown, indent: number, escapeHtml: boolean): string {
  const sorted = sortKeys(v);
  let s = JSON.stringify(sorted ?? null, null, indent) ?? 'null';
  if (escapeHtml) s = s.replace(/[<>&]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`);
  return s.replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (isPlainObject(v)) return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys(v[k])]));
  return v;
}
