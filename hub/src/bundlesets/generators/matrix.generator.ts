import { z } from 'zod';

import { assertWithinLimit, entrySchema, evaluateEntry, type GeneratorEntry, type GeneratorSet } from './generator-entry.js';
import type { Generator, ParamSet } from './generator.types.js';
import { deepMerge } from './param.merge.js';

/** `matrix`: exactly two child entries whose parameter sets are combined. */
export interface MatrixSpec {
  generators: GeneratorEntry[];
}

/**
 * A `matrix` generator over `children` (the kinds its two entries may use;
 * the registry passes terminal kinds only for a nested matrix, so nesting
 * stops one level down as in argo-cd). `unknownHint` explains a kind that
 * is not allowed at this depth.
 *
 * Semantics (argo-cd `matrix.go`, goTemplate mode): the cartesian product,
 * first child's order outer. The second child is evaluated once per set of
 * the first, its spec interpolated over that set (so it may read
 * `{{ .path.basename }}`); a first set that is empty interpolates nothing,
 * as argo-cd. Each pair is deep-merged and on a conflicting leaf the
 * **first** child's value wins (argo-cd merges the second, then the first
 * with override). The whole second child is interpolated, nested children
 * included (as argo-cd), so a nested matrix's own `{{ }}` references must
 * resolve against the outer first child's set too.
 */
export function createMatrixGenerator(children: GeneratorSet, unknownHint = ''): Generator<MatrixSpec> {
  const schema = z.strictObject({
    generators: z.array(entrySchema(children, unknownHint)).length(2, 'a matrix combines exactly two generators'),
  });
  return {
    kind: 'matrix',
    schema,
    async generate(spec, ctx, field): Promise<ParamSet[]> {
      const [first, second] = spec.generators as [GeneratorEntry, GeneratorEntry];
      const firstSets = await evaluateEntry(children, first, ctx, `${field}.generators[0]`);
      const product: ParamSet[] = [];
      for (const a of firstSets) {
        const params = Object.keys(a).length > 0 ? a : undefined;
        const secondSets = await evaluateEntry(children, second, ctx, `${field}.generators[1]`, params);
        assertWithinLimit(product.length + secondSets.length, ctx, field);
        for (const b of secondSets) product.push(deepMerge(b, a));
      }
      return product;
    },
  };
}
