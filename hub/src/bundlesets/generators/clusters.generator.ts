import { matchesSelector, selectorProblem, type LabelSelector } from '@flotilla/core';
import { z } from 'zod';

import { labelSelectorSchema } from '../../platform/http/common.schemas.js';
import { GeneratorError } from './generator.error.js';
import type { Generator, GeneratorCluster, ParamSet } from './generator.types.js';

/** `selector.matchLabels.app.kubernetes.io/name` or `selector.matchExpressions[0].values[1]` as a zod path (label keys may hold dots). */
function selectorIssuePath(field: string): PropertyKey[] {
  const label = /^selector\.matchLabels\.(.+)$/u.exec(field);
  if (label) return ['selector', 'matchLabels', label[1]!];
  const expr = /^selector\.matchExpressions\[(\d+)\]\.(\w+)(?:\[(\d+)\])?$/u.exec(field);
  if (!expr) return ['selector'];
  const path: PropertyKey[] = ['selector', 'matchExpressions', Number(expr[1]), expr[2]!];
  return expr[3] === undefined ? path : [...path, Number(expr[3])];
}

const clustersSchema = z
  .strictObject({
    selector: labelSelectorSchema.optional(),
    group: z.string().min(1).optional(),
    values: z.record(z.string(), z.string()).optional(),
  })
  .superRefine((spec, ctx) => {
    if (spec.selector && spec.group !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['group'], message: 'set either selector or group, not both' });
    }
    const problem = spec.selector && selectorProblem(spec.selector, 'selector');
    if (problem) ctx.addIssue({ code: 'custom', path: selectorIssuePath(problem.field), message: problem.message });
  });

/** `clusters`: which registered clusters (all, a selector's, or a cluster group's) and extra `values`. */
export type ClustersSpec = z.infer<typeof clustersSchema>;

function byName(a: GeneratorCluster, b: GeneratorCluster): number {
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * The `clusters` generator (argo-cd `cluster.go`): one set per matching
 * registered cluster, `{ cluster: { name, id, labels }, values }`, ordered by
 * cluster name. Each of `values` is a template over that cluster's set
 * (`{{ .cluster.name }}`); `values` is always present (`{}` when none is
 * given; argo-cd leaves the key out). No selector and no group: every cluster.
 */
export const clustersGenerator: Generator<ClustersSpec> = {
  kind: 'clusters',
  schema: clustersSchema,
  async generate(spec, ctx, field): Promise<ParamSet[]> {
    let selector: LabelSelector = spec.selector ?? {};
    if (spec.group !== undefined) {
      const group = (await ctx.groups()).get(spec.group);
      if (!group) {
        throw new GeneratorError('InvalidGenerator', `${field}.group: no cluster group named "${spec.group}"`, { field: `${field}.group` });
      }
      selector = group;
    }
    const clusters = (await ctx.clusters()).filter((c) => matchesSelector(selector, c.labels));
    return [...clusters].sort(byName).map((c) => {
      const own = { cluster: { name: c.name, id: c.id, labels: { ...c.labels } } };
      const values = spec.values ? ctx.interpolate(spec.values, own, `${field}.values`) : {};
      return { ...own, values };
    });
  },
};
