import { matchesSelector, type LabelSelector } from '@flotilla/core';

import { labelSelectorSchema } from '../../platform/http/common.schemas.js';
import type { ParamSet } from './generator.types.js';
import { isPlainMap } from './param.merge.js';

/**
 * A generator entry's `selector`: a label selector over its parameter sets.
 * Values are not held to label-value rules (argo-cd's selector does the
 * same, so `server: https://…` can be matched); operators are.
 */
export const postSelectorSchema = labelSelectorSchema.superRefine((selector, ctx) => {
  for (const [i, req] of (selector.matchExpressions ?? []).entries()) {
    const count = req.values?.length ?? 0;
    const needsValues = req.operator === 'In' || req.operator === 'NotIn';
    if (needsValues && count === 0) {
      ctx.addIssue({ code: 'custom', message: `operator ${req.operator} needs at least one value`, path: ['matchExpressions', i, 'values'] });
    }
    if (!needsValues && count > 0) {
      ctx.addIssue({ code: 'custom', message: `operator ${req.operator} takes no values`, path: ['matchExpressions', i, 'values'] });
    }
  }
});

/**
 * A parameter set flattened to dotted string keys, as argo-cd flattens before
 * matching a post-selector: `{cluster: {labels: {env: "prod"}}}` →
 * `cluster.labels.env=prod`, list items by index (`path.segments.0`),
 * numbers and booleans as text. Nulls and empty maps or lists yield no key.
 */
export function flattenParams(params: ParamSet, prefix = '', out: Record<string, string> = {}): Record<string, string> {
  const entries: [string, unknown][] = Array.isArray(params)
    ? (params as unknown[]).map((v, i) => [String(i), v])
    : Object.entries(params);
  for (const [key, value] of entries) {
    const name = prefix === '' ? key : `${prefix}.${key}`;
    if (isPlainMap(value) || Array.isArray(value)) flattenParams(value as ParamSet, name, out);
    else if (value !== null && value !== undefined) out[name] = String(value as string | number | boolean);
  }
  return out;
}

/** The parameter sets a post-selector keeps (all of them without one), in order. */
export function applyPostSelector(sets: readonly ParamSet[], selector: LabelSelector | undefined): ParamSet[] {
  if (!selector) return [...sets];
  return sets.filter((set) => matchesSelector(selector, flattenParams(set)));
}
