import { GeneratorError } from '../generators/generator.error.js';
import { evaluateGeneratorEntries } from '../generators/generator.registry.js';
import type { GeneratorContext, ParamSet } from '../generators/generator.types.js';
import { BundleTemplateError } from '../template/bundle-template.error.js';
import { renderBundleTemplate } from '../template/render-bundle-template.js';
import { applyTemplatePatch } from '../template/template-patch.js';
import type { GeneratedBundleSpec } from '../template/bundle-template.types.js';
import { EvaluationError, type BundleSetSpec } from './bundleset.types.js';
import { readsClusters } from './cluster-scope.js';
import { entryDigest } from './entry-digest.js';

/** What a BundleSet's generators and template yield, before anything is compared or written. */
export interface Generated {
  paramSets: ParamSet[];
  bundles: GeneratedBundleSpec[];
  /** For each bundle, the cluster whose parameter set made it (`cluster.id` of an entry that reads clusters), or null. */
  clusterIds: Array<string | null>;
  /** Parameter sets per top-level generator entry, with the entry's digest (for the empty-result guard). */
  entryCounts: EntryCount[];
}

export interface EntryCount {
  digest: string;
  count: number;
}

/**
 * Generators → parameter sets → one bundle spec per set. Throws
 * EvaluationError for any failure (a generator's, a template's, two sets
 * naming the same bundle): an evaluation yields everything or nothing, so a
 * failure can never look like "fewer bundles". `preserveResourcesOnDeletion`
 * becomes each bundle's keepResources, which the agent records with what it
 * applied and honours when the bundle goes.
 */
export async function generateBundles(set: BundleSetSpec, ctx: GeneratorContext): Promise<Generated> {
  let perEntry: ParamSet[][];
  try {
    perEntry = await evaluateGeneratorEntries(set.generators, ctx, 'generators');
  } catch (error) {
    if (error instanceof GeneratorError) throw new EvaluationError('GeneratorFailed', error.message, error.where, { cause: error });
    throw error;
  }
  const paramSets = perEntry.flat();
  // Each entry's sets use the template with that entry's `template` patch (if any).
  const templates = perEntry.flatMap((sets, i) => {
    const patch = (set.generators[i] as { template?: Record<string, unknown> }).template;
    const template = applyTemplatePatch(set.template, patch);
    return sets.map(() => template);
  });
  const clusterIds = perEntry.flatMap((sets, i) => {
    const fromClusters = readsClusters(set.generators[i] as Record<string, unknown>);
    return sets.map((params) => {
      const id = fromClusters ? (params.cluster as { id?: unknown } | undefined)?.id : undefined;
      return typeof id === 'string' ? id : null;
    });
  });
  const bundles: GeneratedBundleSpec[] = [];
  const seen = new Map<string, number>();
  paramSets.forEach((params, paramSetIndex) => {
    let spec: GeneratedBundleSpec;
    try {
      spec = renderBundleTemplate(templates[paramSetIndex]!, params, { paramSetIndex });
    } catch (error) {
      if (error instanceof BundleTemplateError) throw new EvaluationError('TemplateFailed', error.message, { field: error.field, paramSetIndex }, { cause: error });
      throw error;
    }
    const first = seen.get(spec.name);
    if (first !== undefined) {
      throw new EvaluationError(
        'DuplicateBundleName',
        `parameter sets ${first} and ${paramSetIndex} both yield bundle "${spec.name}": make template.name unique per parameter set`,
        { field: 'template.name', paramSetIndex },
      );
    }
    seen.set(spec.name, paramSetIndex);
    if (set.preserveResourcesOnDeletion) spec = { ...spec, options: { ...spec.options, keepResources: true } };
    // As it will be stored (no undefined members), so comparing it with a stored spec compares values.
    bundles.push(withoutUndefined(spec) as GeneratedBundleSpec);
  });
  return { paramSets, bundles, clusterIds, entryCounts: perEntry.map((sets, i) => ({ digest: entryDigest(set.generators[i]), count: sets.length })) };
}

/** `value` without undefined members at any depth, as JSON storage keeps it; the same object when it has none (the usual case). */
export function withoutUndefined(value: unknown): unknown {
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    value.forEach((v, i) => {
      const w = withoutUndefined(v);
      if (w !== v) (out ??= [...value])[i] = w;
    });
    return out ?? value;
  }
  if (value === null || typeof value !== 'object') return value;
  let out: Record<string, unknown> | undefined;
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined) {
      out ??= { ...(value as Record<string, unknown>) };
      delete out[k];
      continue;
    }
    const w = withoutUndefined(v);
    if (w !== v) (out ??= { ...(value as Record<string, unknown>) })[k] = w;
  }
  return out ?? value;
}
