import { selectorProblem } from './label-selector.rules.js';
import type { LabelSelector, LabelSelectorRequirement } from './label-selector.types.js';
import { SelectorSyntaxError } from './selector-syntax.error.js';

/**
 * Parses the string form of a label selector, as `kubectl get -l` accepts it:
 * `env=prod,tier!=db,region in (eu,us),!legacy,gpu`. Equality terms become
 * matchLabels; everything else becomes matchExpressions (`!=` is NotIn).
 * Throws {@link SelectorSyntaxError} naming `field`.
 */
export function parseSelectorString(input: string, field = 'selector'): LabelSelector {
  const matchLabels: Record<string, string> = {};
  const matchExpressions: LabelSelectorRequirement[] = [];
  for (const term of splitTerms(input, field)) {
    const setMatch = /^([^\s!=(),]+)\s+(in|notin)\s+\(([^()]*)\)$/.exec(term);
    if (setMatch) {
      const values = setMatch[3]!.split(',').map((v) => v.trim());
      if (values.some((v) => v === '')) bad(`empty value in "${term}"`, field);
      matchExpressions.push({ key: setMatch[1]!, operator: setMatch[2] === 'in' ? 'In' : 'NotIn', values });
      continue;
    }
    const cmp = /^([^\s!=(),]+)\s*(==|=|!=)\s*([^\s!=(),]*)$/.exec(term);
    if (cmp) {
      const [, key, op, value] = cmp as unknown as [string, string, string, string];
      if (op === '!=') matchExpressions.push({ key, operator: 'NotIn', values: [value] });
      else if (Object.hasOwn(matchLabels, key) && matchLabels[key] !== value) {
        // Two different required values can never match; keep both as In terms.
        matchExpressions.push({ key, operator: 'In', values: [value] });
      } else matchLabels[key] = value;
      continue;
    }
    const exists = /^(!?)([^\s!=(),]+)$/.exec(term);
    if (exists) {
      matchExpressions.push({ key: exists[2]!, operator: exists[1] ? 'DoesNotExist' : 'Exists' });
      continue;
    }
    bad(`cannot parse selector term "${term}"`, field);
  }
  const selector: LabelSelector = {};
  if (Object.keys(matchLabels).length) selector.matchLabels = matchLabels;
  if (matchExpressions.length) selector.matchExpressions = matchExpressions;
  // The user wrote a string, so point at the string, not at a structured path.
  const problem = selectorProblem(selector);
  if (problem) bad(problem.message, field);
  return selector;
}

/** Splits on commas that are not inside parentheses. */
function splitTerms(input: string, field: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of input) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (depth < 0 || depth > 1) bad(`unbalanced parentheses in "${input}"`, field);
    if (ch === ',' && depth === 0) {
      terms.push(current.trim());
      current = '';
    } else current += ch;
  }
  if (depth !== 0) bad(`unbalanced parentheses in "${input}"`, field);
  terms.push(current.trim());
  if (terms.length === 1 && terms[0] === '') return [];
  if (terms.some((t) => t === '')) bad(`empty term in "${input}"`, field);
  return terms;
}

function bad(message: string, field: string): never {
  throw new SelectorSyntaxError(message, field);
}
