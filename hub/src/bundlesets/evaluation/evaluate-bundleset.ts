import { GeneratorError } from '../generators/generator.error.js';
import { evaluateGenerators } from '../generators/generator.registry.js';
import type { GeneratorContext, ParamSet } from '../generators/generator.types.js';
import { BundleTemplateError } from '../template/bundle-template.error.js';
import { renderBundleTemplate } from '../template/render-bundle-template.js';
import type { GeneratedBundleSpec } from '../template/bundle-template.types.js';
import { EvaluationError, type BundleSetSpec } from './bundleset.types.js';

/** What a BundleSet's generators and template yield, before anything is compared or written. */
export interface Generated {
  paramSets: ParamSet[];
  bundles: GeneratedBundleSpec[];
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
  let paramSets: ParamSet[];
  try {
    paramSets = await evaluateGenerators(set.generators, ctx, 'generators');
  } catch (error) {
    if (error instanceof GeneratorError) throw new EvaluationError('GeneratorFailed', error.message, error.where, { cause: error });
    throw error;
  }
  const bundles: GeneratedBundleSpec[] = [];
  const seen = new Map<string, number>();
  paramSets.forEach((params, paramSetIndex) => {
    let spec: GeneratedBundleSpec;
    try {
      spec = renderBundleTemplate(set.template, params, { paramSetIndex });
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
  return { paramSets, bundles };
}
