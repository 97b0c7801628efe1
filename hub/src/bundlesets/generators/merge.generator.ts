import { z } from 'zod';

import { GeneratorError } from './generator.error.js';
import { entrySchema, evaluateEntry, type GeneratorEntry, type GeneratorSet } from './generator-entry.js';
import type { Generator, ParamSet } from './generator.types.js';
import { deepMerge, valueAtPath } from './param.merge.js';

/** `merge`: merge keys (dotted paths) and a base entry followed by overriding entries. */
export interface MergeSpec {
  mergeKeys: string[];
  generators: GeneratorEntry[];
}

/** The join key of `set`, or undefined when it lacks one of `mergeKeys`. */
function joinKey(set: ParamSet, mergeKeys: readonly string[]): string | undefined {
  const values = mergeKeys.map((key) => valueAtPath(set, key));
  return values.includes(undefined) ? undefined : JSON.stringify(values);
}

/**
 * A `merge` generator over `children` (see {@link createMatrixGenerator} for
 * the nesting rule).
 *
 * Semantics (argo-cd `merge.go`, goTemplate mode, with differences noted):
 * the base (first) entry's sets, in their order, each deep-merged with the
 * set of every later entry that has the same merge-key values, later entries
 * overriding earlier ones. Later sets matching no base set are dropped.
 * Merge keys are dotted paths (`cluster.name`); argo-cd goTemplate mode only
 * reads top-level keys. Two sets of one entry with equal key values are an
 * error (argo-cd `ErrNonUniqueParamSets`). A base set lacking a merge key is
 * GeneratorError('MergeKeyMissing') (argo-cd silently joins on null); a later
 * set lacking one is dropped, as it can match no base set.
 */
export function createMergeGenerator(children: GeneratorSet, unknownHint = ''): Generator<MergeSpec> {
  const schema = z.strictObject({
    mergeKeys: z.array(z.string().min(1)).min(1, 'needs at least one merge key'),
    generators: z.array(entrySchema(children, unknownHint)).min(2, 'a merge needs a base generator and at least one more'),
  });
  return {
    kind: 'merge',
    schema,
    async generate(spec, ctx, field): Promise<ParamSet[]> {
      const mergeKeys = [...new Set(spec.mergeKeys)];
      const merged: ParamSet[] = [];
      const byKey = new Map<string, number>();
      for (const [i, entry] of spec.generators.entries()) {
        const at = `${field}.generators[${i}]`;
        const seen = new Set<string>();
        for (const [j, set] of (await evaluateEntry(children, entry, ctx, at)).entries()) {
          const key = joinKey(set, mergeKeys);
          if (key === undefined && i === 0) {
            const missing = mergeKeys.filter((k) => valueAtPath(set, k) === undefined).join(', ');
            throw new GeneratorError('MergeKeyMissing', `${at}: parameter set ${j} has no ${missing}`, { field: at });
          }
          if (key === undefined) continue;
          if (seen.has(key)) {
            throw new GeneratorError('MergeKeyNotUnique', `${at}: two parameter sets share the merge key values ${key}`, { field: at });
          }
          seen.add(key);
          const index = byKey.get(key);
          if (i === 0) byKey.set(key, merged.push(set) - 1);
          else if (index !== undefined) merged[index] = deepMerge(merged[index]!, set);
        }
      }
      return merged;
    },
  };
}
