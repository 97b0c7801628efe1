import type { BundleTemplate } from './bundle-template.types.js';

/**
 * A generator entry's `template`: a patch of the BundleSet's template for
 * that entry's parameter sets (Argo CD's templatePatch, as data rather than
 * a templated YAML text, so it cannot add structure from parameters). Maps
 * merge key by key; lists and scalars replace; the result is a template like
 * any other (its strings are evaluated over each parameter set).
 */
export function applyTemplatePatch(template: BundleTemplate, patch: Readonly<Record<string, unknown>> | undefined): BundleTemplate {
  return patch ? (merge(template, patch) as BundleTemplate) : template;
}

function merge(base: unknown, patch: unknown): unknown {
  if (!isMap(base) || !isMap(patch)) return patch;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) out[key] = key in out ? merge(out[key], value) : value;
  return out;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
