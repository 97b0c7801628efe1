import { GeneratorError } from '../generators/generator.error.js';
import { evaluateGeneratorEntries } from '../generators/generator.registry.js';
import type { GeneratorContext, ParamSet } from '../generators/generator.types.js';
import { BundleTemplateError } from '../template/bundle-template.error.js';
import { renderBundleTemplate } from '../template/render-bundle-template.js';
import { applyTemplatePatch } from '../template/template-patch.js';
import type { GeneratedBundleSpec } from '../template/bundle-template.types.js';
import { EvaluationError, type BundleSetSpec } from './bundleset.types.js';
import { entryDigest } from './entry-digest.js';

/** What a BundleSet's generators and template yield, before anything is compared or written. */
export interface Generated {
  paramSets: ParamSet[];
  bundles: GeneratedBundleSpec[];
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
    bundles.push(JSON.parse(JSON.stringify(spec)) as GeneratedBundleSpec);
  });
  return { paramSets, bundles, entryCounts: perEntry.map((sets, i) => ({ digest: entryDigest(set.generators[i]), count: sets.length })) };
}
