import { parse, stringify } from 'yaml';
import type { HelmOptions } from '../fleet-yaml/fleet-yaml.types.js';
import { RenderError } from '../render.error.js';
import { evaluateTemplate, hasTemplate } from '../templating/evaluate-template.js';

/** A `helm.values` string equal to this prefix + a label key is replaced by that cluster label's value. */
export const CLUSTER_LABEL_PREFIX = 'global.fleet.clusterLabels.';
/** Fleet's maxTemplateRecursionDepth for the label substitution walk. */
const MAX_LABEL_DEPTH = 50;

// go-yaml v2 (behind sigs.k8s.io/yaml) is YAML 1.1; no line folding so a template never splits.
const YAML_OPTS = { version: '1.1', sortMapEntries: true, singleQuote: true, lineWidth: 0 } as const;

/**
 * Evaluates a cluster's `helm` options as Fleet's `preprocessHelmValues` does: first the legacy
 * `global.fleet.clusterLabels.<key>` value references (a missing label becomes ""), then, unless
 * `helm.disablePreProcess`, `helm.values` as one `${ }` template over its YAML text (so a template may
 * yield a number, a map or a key), then each `helm.templateValues` entry, whose output is parsed as
 * YAML and replaces that top-level key of values. `templateValues` is dropped from the result.
 */
export function templateHelmOptions(
  helm: HelmOptions,
  context: Record<string, unknown>,
  labels: Record<string, string>,
  file: string | undefined,
): HelmOptions {
  const result: HelmOptions = { ...helm };
  const templateValues = result.templateValues;
  delete result.templateValues;
  if (result.values === undefined && templateValues === undefined) return result;
  let values = structuredClone(result.values ?? {});
  substituteLabels(values, labels, 0, file);
  if (!result.disablePreProcess) {
    values = templateValuesDocument(values, context, file);
    for (const [key, text] of Object.entries(templateValues ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
      const field = `helm.templateValues.${key}`;
      const out = evaluateTemplate(String(text), context, { file, field });
      values[key] = parseRendered(out, file, field);
    }
  }
  if (Object.keys(values).length > 0 || result.values !== undefined) result.values = values;
  return result;
}

function substituteLabels(node: Record<string, unknown>, labels: Record<string, string>, depth: number, file?: string): void {
  if (depth > MAX_LABEL_DEPTH) {
    throw new RenderError('TemplateFailed', `values nested deeper than ${MAX_LABEL_DEPTH} for cluster label substitution`, { file, field: 'helm.values' });
  }
  for (const [k, v] of Object.entries(node)) {
    if (typeof v === 'string' && v.startsWith(CLUSTER_LABEL_PREFIX)) node[k] = labels[v.slice(CLUSTER_LABEL_PREFIX.length)] ?? '';
    else if (isMap(v)) substituteLabels(v, labels, depth + 1, file);
    else if (Array.isArray(v)) for (const item of v) if (isMap(item)) substituteLabels(item, labels, depth + 1, file);
  }
}

function templateValuesDocument(values: Record<string, unknown>, context: Record<string, unknown>, file?: string): Record<string, unknown> {
  const text = stringify(values, YAML_OPTS);
  if (!hasTemplate(text)) return values;
  let out: string;
  try {
    out = evaluateTemplate(text, context, { file, field: 'helm.values' });
  } catch (e) {
    // Name the exact field: re-run the templated keys and strings one by one.
    locateFailure(values, 'helm.values', context, file);
    throw e;
  }
  const parsed = parseRendered(out, file, 'helm.values');
  if (parsed === null || parsed === undefined) return {};
  if (!isMap(parsed)) throw new RenderError('TemplateFailed', 'rendered helm.values is not a map', { file, field: 'helm.values' });
  return parsed;
}

function locateFailure(node: unknown, path: string, context: Record<string, unknown>, file?: string): void {
  if (typeof node === 'string') {
    if (hasTemplate(node)) evaluateTemplate(node, context, { file, field: path });
    return;
  }
  if (Array.isArray(node)) return node.forEach((item, i) => locateFailure(item, `${path}[${i}]`, context, file));
  if (!isMap(node)) return;
  for (const [k, v] of Object.entries(node)) {
    if (hasTemplate(k)) evaluateTemplate(k, context, { file, field: `${path}.${k}` });
    locateFailure(v, `${path}.${k}`, context, file);
  }
}

function parseRendered(text: string, file: string | undefined, field: string): unknown {
  try {
    return parse(text, { version: '1.1' }) as unknown;
  } catch (e) {
    throw new RenderError('TemplateFailed', `rendered template is not YAML: ${(e as Error).message.split('\n')[0]}`, { file, field }, { cause: e });
  }
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
