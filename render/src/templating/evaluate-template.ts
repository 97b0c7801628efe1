import { RenderError, type RenderErrorLocation } from '../render.error.js';
import { TemplateError } from './template.error.js';
import { executeTemplate } from './template.evaluator.js';
import { parseTemplate } from './template.parser.js';
import { DEFAULT_TEMPLATE_LIMITS, type FunctionMap, type TemplateData, type TemplateLimits } from './template.types.js';
import { templateFunctions } from './functions/function.registry.js';

export interface EvaluateTemplateOptions extends RenderErrorLocation {
  /** Default DEFAULT_TEMPLATE_LIMITS. */
  limits?: Partial<TemplateLimits>;
  /** Default the Fleet function set (`templateFunctions`). */
  functions?: FunctionMap;
}

/**
 * Evaluates a Fleet `${ }` template (Go text/template semantics, `missingkey=error`) against `data`.
 * Throws RenderError `TemplateFailed` (bad syntax, unknown function, missing key, a bound passed) or
 * `OutputTooLarge`, located at `file`/`field`.
 */
export function evaluateTemplate(text: string, data: TemplateData, opts: EvaluateTemplateOptions = {}): string {
  const limits = { ...DEFAULT_TEMPLATE_LIMITS, ...opts.limits };
  const functions = opts.functions ?? templateFunctions;
  const where: RenderErrorLocation = { file: opts.file, line: opts.line, field: opts.field };
  if (text.length > limits.maxTemplateLength) {
    throw new RenderError('TemplateFailed', `template longer than ${limits.maxTemplateLength} characters`, where);
  }
  try {
    const nodes = parseTemplate(text, (name) => Object.hasOwn(functions, name), limits.maxDepth);
    return executeTemplate(nodes, data, functions, limits);
  } catch (e) {
    if (e instanceof TemplateError) throw new RenderError(e.kind, e.message, where, { cause: e });
    throw e;
  }
}

/** True when `text` holds a `${` action (plain strings skip the engine). */
export function hasTemplate(text: string): boolean {
  return text.includes('${');
}
