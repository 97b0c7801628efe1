import { evaluateTemplate, GO_DELIMITERS, hasTemplate, isRenderError } from '@flotilla/render';
import type { ParamSet } from '../generators/generator.types.js';
import type { BundleTemplate, GeneratedBundleSpec } from './bundle-template.types.js';
import { BundleTemplateError } from './bundle-template.error.js';
import { bundleSetFunctions } from './bundleset-functions.js';
import { generatedBundleSpecSchema } from './generated-bundle.schema.js';
import { DEFAULT_TEMPLATE_WALK_LIMITS, issueField, mapTemplateStrings, type TemplateWalkLimits } from './template-walk.js';

/** Where the template sits and how far it may grow. */
export interface RenderBundleTemplateOptions {
  /** The parameter set's 0-based position in the generators' output, for messages. */
  paramSetIndex: number;
  /** The template's field path in the BundleSet, the root of every error's `field`. Default `template`. */
  field?: string;
  /** Default DEFAULT_TEMPLATE_WALK_LIMITS (256 KiB of output, 10,000 strings, 64 levels). */
  limits?: Partial<TemplateWalkLimits>;
}

/**
 * Renders a BundleSet template for one parameter set, as Argo CD's goTemplate does (`{{ }}`,
 * missingkey=error, the restricted `bundleSetFunctions`): every string, map keys included, is
 * evaluated over `params`; everything else is copied; the result is checked into a
 * GeneratedBundleSpec. A parameter value is data: it is written into the output once and never
 * parsed as a template, so a label value `{{ .secret }}` comes out as those characters.
 *
 * Throws BundleTemplateError `TemplateFailed` (bad syntax, unknown function, a key the parameter
 * set lacks), `InvalidOutput` (the result is not a valid bundle spec) or `OutputTooLarge`, each
 * with the field path (`template.helm.values.replicas`) and `paramSetIndex`.
 */
export function renderBundleTemplate(template: BundleTemplate, params: ParamSet, opts: RenderBundleTemplateOptions): GeneratedBundleSpec {
  const root = opts.field ?? 'template';
  const limits = { ...DEFAULT_TEMPLATE_WALK_LIMITS, ...opts.limits };
  const { paramSetIndex } = opts;
  const rendered = renderTemplateStrings(template, params, { ...opts, field: root });
  const parsed = generatedBundleSpecSchema.safeParse(rendered);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new BundleTemplateError('InvalidOutput', issue.message, issueField(root, issue.path), paramSetIndex, { cause: parsed.error });
  }
  // Typed: the schema's output must stay assignable to the contract.
  const checked: GeneratedBundleSpec = parsed.data;
  // An optional field that came out "" parses to undefined: leave the key out altogether.
  const spec = Object.fromEntries(Object.entries(checked).filter(([, v]) => v !== undefined)) as GeneratedBundleSpec;
  const size = Buffer.byteLength(JSON.stringify(spec));
  if (size > limits.maxOutputChars) {
    throw new BundleTemplateError('OutputTooLarge', `rendered bundle is ${size} bytes, more than ${limits.maxOutputChars}`, root, paramSetIndex);
  }
  return spec;
}

/**
 * The walk of renderBundleTemplate without the bundle checks: a copy of `value` with every string
 * (map keys included) rendered over `params`, for any spec whose strings are BundleSet templates
 * (e.g. a generator's spec interpolated with an earlier generator's parameters). Throws
 * BundleTemplateError `TemplateFailed`, `OutputTooLarge` or `InvalidOutput` (a non-JSON value,
 * a `__proto__` key, two keys rendering the same).
 */
export function renderTemplateStrings<T>(value: T, params: ParamSet, opts: RenderBundleTemplateOptions): T {
  const limits = { ...DEFAULT_TEMPLATE_WALK_LIMITS, ...opts.limits };
  const visit = (text: string, field: string, budget: number): string => renderString(text, params, field, budget, opts.paramSetIndex);
  return mapTemplateStrings(value, opts.field ?? 'template', visit, limits, opts.paramSetIndex) as T;
}

function renderString(text: string, params: ParamSet, field: string, budget: number, paramSetIndex: number): string {
  if (!hasTemplate(text, GO_DELIMITERS)) return text;
  try {
    return evaluateTemplate(text, params, {
      delimiters: GO_DELIMITERS,
      functions: bundleSetFunctions,
      limits: { maxOutputLength: Math.max(0, budget), maxTemplateLength: DEFAULT_TEMPLATE_WALK_LIMITS.maxOutputChars },
    });
  } catch (e) {
    if (!isRenderError(e)) throw e;
    const reason = e.reason === 'OutputTooLarge' ? 'OutputTooLarge' : 'TemplateFailed';
    throw new BundleTemplateError(reason, e.message, field, paramSetIndex, { cause: e });
  }
}
