import { RenderError, type RenderErrorLocation } from '../render.error.js';
import { TemplateError } from './template.error.js';
import { executeTemplate } from './template.evaluator.js';
import { parseTemplate } from './template.parser.js';
import type { TemplateNode } from './template.ast.js';
import {
  DEFAULT_TEMPLATE_LIMITS,
  FLEET_DELIMITERS,
  type FunctionMap,
  type TemplateData,
  type TemplateDelimiters,
  type TemplateLimits,
} from './template.types.js';
import { templateFunctions } from './functions/function.registry.js';

export interface EvaluateTemplateOptions extends RenderErrorLocation {
  /** Default DEFAULT_TEMPLATE_LIMITS. */
  limits?: Partial<TemplateLimits>;
  /** Default the Fleet function set (`templateFunctions`). */
  functions?: FunctionMap;
  /** Default Fleet's `${ }` (FLEET_DELIMITERS); BundleSet templates use `{{ }}` (GO_DELIMITERS). */
  delimiters?: TemplateDelimiters;
}

/**
 * Evaluates a template (Go text/template semantics, `missingkey=error`; Fleet's `${ }` unless
 * `delimiters` says otherwise) against `data`. Throws RenderError `TemplateFailed` (bad syntax,
 * unknown function, missing key, a bound passed) or `OutputTooLarge`, located at `file`/`field`.
 */
export function evaluateTemplate(text: string, data: TemplateData, opts: EvaluateTemplateOptions = {}): string {
  const limits = { ...DEFAULT_TEMPLATE_LIMITS, ...opts.limits };
  const functions = opts.functions ?? templateFunctions;
  return located(opts, () => executeTemplate(parse(text, functions, limits, opts), data, functions, limits));
}

/**
 * Parses `text` without evaluating it, as evaluateTemplate would (same delimiters, functions and
 * limits): throws RenderError `TemplateFailed` for bad syntax or an unknown function, else returns.
 */
export function checkTemplate(text: string, opts: EvaluateTemplateOptions = {}): void {
  const limits = { ...DEFAULT_TEMPLATE_LIMITS, ...opts.limits };
  located(opts, () => parse(text, opts.functions ?? templateFunctions, limits, opts));
}

/** True when `text` holds an action opener (`${` by default): plain strings skip the engine. */
export function hasTemplate(text: string, delimiters: TemplateDelimiters = FLEET_DELIMITERS): boolean {
  return text.includes(delimiters.left);
}

/** Parsed templates per function set (the oldest out first past the bound): a BundleSet renders the same few strings 50,000 times. */
const parsed = new WeakMap<FunctionMap, Map<string, TemplateNode[]>>();
const MAX_PARSED_PER_FUNCTION_SET = 1000;

function parse(text: string, functions: FunctionMap, limits: TemplateLimits, opts: EvaluateTemplateOptions): TemplateNode[] {
  if (text.length > limits.maxTemplateLength) {
    throw new TemplateError(`template longer than ${limits.maxTemplateLength} characters`);
  }
  const delimiters = opts.delimiters ?? FLEET_DELIMITERS;
  const key = `${limits.maxDepth}\0${delimiters.left}\0${delimiters.right}\0${text}`;
  let cache = parsed.get(functions);
  const hit = cache?.get(key);
  if (hit) return hit;
  // Only successful parses are kept (the evaluator never changes the tree); a failure throws every time.
  const nodes = parseTemplate(text, (name) => Object.hasOwn(functions, name), limits.maxDepth, delimiters);
  if (!cache) parsed.set(functions, (cache = new Map()));
  if (cache.size >= MAX_PARSED_PER_FUNCTION_SET) cache.delete(cache.keys().next().value!);
  cache.set(key, nodes);
  return nodes;
}

/** Runs `fn`, turning an engine TemplateError into a RenderError at `opts`' location. */
function located<T>(opts: EvaluateTemplateOptions, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof TemplateError) {
      const where: RenderErrorLocation = { file: opts.file, line: opts.line, field: opts.field };
      throw new RenderError(e.kind, e.message, where, { cause: e });
    }
    throw e;
  }
}
