import { deepMerge } from '../generators/param.merge.js';
import type { BundleTemplate } from './bundle-template.types.js';

/**
 * A generator entry's `template`: a patch of the BundleSet's template for
 * that entry's parameter sets (Argo CD's templatePatch, as data rather than
 * a templated YAML text, so it cannot add structure from parameters). Maps
 * merge key by key; lists and scalars replace; the result is a template like
 * any other (its strings are evaluated over each parameter set).
 */
export function applyTemplatePatch(template: BundleTemplate, patch: Readonly<Record<string, unknown>> | undefined): BundleTemplate {
  return patch ? (deepMerge(template as unknown as Record<string, unknown>, patch) as unknown as BundleTemplate) : template;
}
