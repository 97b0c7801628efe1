import { TemplateError } from '../template.error.js';
import type { FunctionMap } from '../template.types.js';
import { strval } from './convert.js';

/** Sprig's regex functions (JavaScript RegExp standing in for Go's RE2; the common syntax agrees). */
export const regexFunctions: FunctionMap = {
  regexMatch: (re, s) => compile(re).test(strval(s)),
  regexFind: (re, s) => compile(re).exec(strval(s))?.[0] ?? '',
  regexFindAll: (re, s, n) => {
    const all = [...strval(s).matchAll(compile(re, 'g'))].map((m) => m[0]);
    const limit = Number(n);
    return limit < 0 ? all : all.slice(0, limit);
  },
  // Go's Expand uses `$1` / `${1}` like JavaScript's replace.
  regexReplaceAll: (re, s, repl) => strval(s).replace(compile(re, 'g'), strval(repl)),
  regexReplaceAllLiteral: (re, s, repl) => strval(s).replace(compile(re, 'g'), () => strval(repl)),
  regexSplit: (re, s, n) => {
    const parts = strval(s).split(compile(re, 'g'));
    const limit = Number(n);
    return limit < 0 ? parts : parts.slice(0, limit);
  },
};

function compile(re: unknown, flags = ''): RegExp {
  try {
    return new RegExp(strval(re), flags + 'u');
  } catch (e) {
    throw new TemplateError(`invalid regular expression ${JSON.stringify(strval(re))}: ${(e as Error).message}`);
  }
}
