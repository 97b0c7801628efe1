import { TemplateError } from '../template.error.js';
import type { FunctionMap } from '../template.types.js';
import { isPlainObject, isTruthy } from '../template.values.js';
import { wantArgs } from './convert.js';

/** Go text/template's comparison and boolean builtins (`and`/`or` short-circuit in the evaluator). */
export const logicFunctions: FunctionMap = {
  and: () => undefined,
  or: () => undefined,
  not: (...args) => {
    wantArgs('not', args, 1);
    return !isTruthy(args[0]);
  },
  eq: (...args) => {
    if (args.length < 2) throw new TemplateError('missing argument for comparison');
    const [a, ...rest] = args;
    return rest.some((b) => equal(a, b));
  },
  ne: (...args) => {
    wantArgs('ne', args, 2);
    return !equal(args[0], args[1]);
  },
  lt: (...args) => compare('lt', args) < 0,
  le: (...args) => compare('le', args) <= 0,
  gt: (...args) => compare('gt', args) > 0,
  ge: (...args) => compare('ge', args) >= 0,
};

function kind(v: unknown): string {
  if (v === undefined || v === null) return 'nil';
  if (Array.isArray(v) || isPlainObject(v)) return 'collection';
  return typeof v;
}

/** Go compares basic values of one kind; numbers compare by value (JSON makes every number a float64). */
function equal(a: unknown, b: unknown): boolean {
  const ka = kind(a);
  const kb = kind(b);
  if (ka === 'nil' || kb === 'nil') return ka === kb;
  if (ka === 'collection' || kb === 'collection') throw new TemplateError('non-comparable type in eq');
  if (ka !== kb) throw new TemplateError(`incompatible types for comparison: ${ka} and ${kb}`);
  return a === b;
}

function compare(fn: string, args: unknown[]): number {
  wantArgs(fn, args, 2);
  const [a, b] = args;
  const ka = kind(a);
  if ((ka !== 'number' && ka !== 'string') || ka !== kind(b)) {
    throw new TemplateError(`incompatible types for comparison: ${ka} and ${kind(b)}`);
  }
  return (a as number | string) < (b as number | string) ? -1 : a === b ? 0 : 1;
}
