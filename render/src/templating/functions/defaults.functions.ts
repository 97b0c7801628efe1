import { TemplateError } from '../template.error.js';
import type { FunctionMap } from '../template.types.js';
import { isTruthy } from '../template.values.js';
import { strval, wantArgs } from './convert.js';

/** Sprig's defaults family: default, empty, coalesce, ternary, fail. */
export const defaultsFunctions: FunctionMap = {
  // `.X | default "d"` calls default("d", .X): the fallback comes first.
  default: (d, ...given) => (given.length === 0 || !isTruthy(given[0]) ? d : given[0]),
  empty: (v) => !isTruthy(v),
  coalesce: (...args) => args.find(isTruthy) ?? null,
  ternary: (...args) => {
    wantArgs('ternary', args, 3);
    return isTruthy(args[2]) ? args[0] : args[1];
  },
  fail: (msg) => {
    throw new TemplateError(strval(msg));
  },
};
