import { TemplateError } from '../template.error.js';
import type { FunctionMap } from '../template.types.js';
import { toInt64 } from './convert.js';

/** Sprig's integer math (every argument through toInt64, as Sprig does). */
export const mathFunctions: FunctionMap = {
  add: (...args) => args.reduce<number>((sum, a) => sum + toInt64(a), 0),
  add1: (a) => toInt64(a) + 1,
  sub: (a, b) => toInt64(a) - toInt64(b),
  mul: (...args) => args.reduce<number>((p, a) => p * toInt64(a), 1),
  div: (a, b) => {
    if (toInt64(b) === 0) throw new TemplateError('integer divide by zero');
    return Math.trunc(toInt64(a) / toInt64(b));
  },
  mod: (a, b) => {
    if (toInt64(b) === 0) throw new TemplateError('integer divide by zero');
    return toInt64(a) % toInt64(b);
  },
  max: (a, ...rest) => rest.reduce<number>((m, x) => Math.max(m, toInt64(x)), toInt64(a)),
  min: (a, ...rest) => rest.reduce<number>((m, x) => Math.min(m, toInt64(x)), toInt64(a)),
};
