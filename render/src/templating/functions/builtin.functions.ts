import { TemplateError } from '../template.error.js';
import type { FunctionMap } from '../template.types.js';
import { formatValue, isPlainObject } from '../template.values.js';
import { sprintf } from './printf.js';
import { toInt64 } from './convert.js';

/** Go text/template's own builtins besides comparisons: index, len, print, printf, println. */
export const builtinFunctions: FunctionMap = {
  index: (item, ...indices) => {
    let v = item;
    for (const i of indices) {
      if (isPlainObject(v)) {
        // A missing map key gives the zero value, not an error (Go's index ignores missingkey).
        v = Object.hasOwn(v, String(i)) ? v[String(i)] : null;
      } else if (Array.isArray(v) || typeof v === 'string') {
        const n = toInt64(i);
        if (n < 0 || n >= v.length) throw new TemplateError(`index out of range: ${n}`);
        v = typeof v === 'string' ? v.charCodeAt(n) : v[n];
      } else if (v === undefined || v === null) {
        throw new TemplateError('index of untyped nil');
      } else throw new TemplateError(`can't index item of type ${typeof v}`);
    }
    return v;
  },
  len: (v) => {
    if (typeof v === 'string' || Array.isArray(v)) return typeof v === 'string' ? Buffer.byteLength(v) : v.length;
    if (isPlainObject(v)) return Object.keys(v).length;
    throw new TemplateError(`len of type ${v === null || v === undefined ? 'nil' : typeof v}`);
  },
  print: (...args) => goSprint(args),
  println: (...args) => args.map((a) => formatValue(a, false)).join(' ') + '\n',
  printf: (format, ...args) => sprintf(String(format), args),
};

/** fmt.Sprint: a space between operands when neither is a string. */
function goSprint(args: unknown[]): string {
  let s = '';
  args.forEach((a, i) => {
    if (i > 0 && typeof a !== 'string' && typeof args[i - 1] !== 'string') s += ' ';
    s += formatValue(a, false);
  });
  return s;
}
