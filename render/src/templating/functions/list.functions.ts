import { TemplateError } from '../template.error.js';
import type { FunctionMap } from '../template.types.js';
import { isTruthy } from '../template.values.js';
import { asList, strval } from './convert.js';

/** Sprig's list functions. */
export const listFunctions: FunctionMap = {
  list: (...args) => args,
  first: (l) => asList(l, 'first')[0] ?? null,
  last: (l) => asList(l, 'last').at(-1) ?? null,
  rest: (l) => asList(l, 'rest').slice(1),
  initial: (l) => asList(l, 'initial').slice(0, -1),
  append: (l, v) => [...asList(l, 'append'), v],
  prepend: (l, v) => [v, ...asList(l, 'prepend')],
  concat: (...lists) => lists.flatMap((l) => asList(l, 'concat')),
  reverse: (l) => [...asList(l, 'reverse')].reverse(),
  has: (needle, l) => asList(l, 'has').some((x) => deepEqual(x, needle)),
  uniq: (l) => asList(l, 'uniq').filter((x, i, all) => all.findIndex((y) => deepEqual(x, y)) === i),
  compact: (l) => asList(l, 'compact').filter(isTruthy),
  without: (l, ...omit) => asList(l, 'without').filter((x) => !omit.some((o) => deepEqual(x, o))),
  sortAlpha: (l) => asList(l, 'sortAlpha').map(strval).sort(),
  until: (n) => {
    const count = Number(n);
    if (count > 10_000) throw new TemplateError('until: count larger than 10000');
    return Array.from({ length: Math.max(0, count) }, (_, i) => i);
  },
};

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
