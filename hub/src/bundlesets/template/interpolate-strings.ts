import { GeneratorError } from '../generators/generator.error.js';
import type { ParamSet } from '../generators/generator.types.js';
import { BundleTemplateError } from './bundle-template.error.js';
import { renderTemplateStrings } from './render-bundle-template.js';

/**
 * A generator spec with its `{{ }}` strings evaluated over an earlier
 * generator's parameters (a matrix's second child, a clusters generator's
 * values), as GeneratorContext.interpolate. Template failures become
 * GeneratorError('TemplateFailed') naming the field.
 */
export function interpolateStrings<T>(spec: T, params: ParamSet, field: string): T {
  try {
    return renderTemplateStrings(spec, params, { paramSetIndex: 0, field });
  } catch (error) {
    if (error instanceof BundleTemplateError) throw new GeneratorError('TemplateFailed', `${error.field}: ${error.detail}`, { field: error.field }, { cause: error });
    throw error;
  }
}
