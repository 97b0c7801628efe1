import type { FunctionMap } from '../template.types.js';
import { strval, toInt64 } from './convert.js';

/** Sprig's string functions (argument order is Sprig's: the subject string comes last, for pipelines). */
export const stringFunctions: FunctionMap = {
  upper: (s) => strval(s).toUpperCase(),
  lower: (s) => strval(s).toLowerCase(),
  title: (s) => strval(s).replace(/(^|[^\p{L}\p{N}'])(\p{L})/gu, (_m, pre: string, c: string) => pre + c.toUpperCase()),
  trim: (s) => strval(s).trim(),
  trimAll: (cut, s) => trimCutset(strval(s), strval(cut)),
  trimPrefix: (pre, s) => {
    const str = strval(s);
    const p = strval(pre);
    return p && str.startsWith(p) ? str.slice(p.length) : str;
  },
  trimSuffix: (suf, s) => {
    const str = strval(s);
    const p = strval(suf);
    return p && str.endsWith(p) ? str.slice(0, str.length - p.length) : str;
  },
  replace: (old, neu, src) => strval(src).split(strval(old)).join(strval(neu)),
  contains: (sub, s) => strval(s).includes(strval(sub)),
  hasPrefix: (pre, s) => strval(s).startsWith(strval(pre)),
  hasSuffix: (suf, s) => strval(s).endsWith(strval(suf)),
  repeat: (count, s) => strval(s).repeat(Math.max(0, Math.min(toInt64(count), 1_000_000))),
  substr: (start, end, s) => {
    const str = strval(s);
    let a = toInt64(start);
    let b = toInt64(end);
    if (a < 0) return str.slice(0, b < 0 ? undefined : b);
    if (b < 0 || b > str.length) b = str.length;
    if (a > b) a = b;
    return str.slice(a, b);
  },
  trunc: (c, s) => {
    const str = strval(s);
    const n = toInt64(c);
    if (n < 0) return -n < str.length ? str.slice(str.length + n) : str;
    return n < str.length ? str.slice(0, n) : str;
  },
  nospace: (s) => strval(s).replace(/\s+/g, ''),
  cat: (...args) => args.filter((a) => a !== null && a !== undefined).map(strval).join(' '),
  indent: (n, s) => indent(toInt64(n), strval(s)),
  nindent: (n, s) => '\n' + indent(toInt64(n), strval(s)),
  quote: (...args) => args.filter((a) => a !== null && a !== undefined).map((a) => JSON.stringify(strval(a))).join(' '),
  squote: (...args) => args.filter((a) => a !== null && a !== undefined).map((a) => `'${strval(a)}'`).join(' '),
  split: (sep, s) => Object.fromEntries(strval(s).split(strval(sep)).map((part, i) => [`_${i}`, part])),
  splitList: (sep, s) => strval(s).split(strval(sep)),
  join: (sep, list) => (Array.isArray(list) ? list : list === null || list === undefined ? [] : [list]).map((x) => (x === null || x === undefined ? '' : strval(x))).join(strval(sep)),
};

function indent(n: number, s: string): string {
  const pad = ' '.repeat(Math.max(0, Math.min(n, 10_000)));
  return pad + s.replace(/\n/g, '\n' + pad);
}

function trimCutset(s: string, cut: string): string {
  const set = new Set(cut);
  let a = 0;
  let b = s.length;
  while (a < b && set.has(s[a]!)) a++;
  while (b > a && set.has(s[b - 1]!)) b--;
  return s.slice(a, b);
}
