import { checkTemplate, GO_DELIMITERS, hasTemplate, isRenderError } from '@flotilla/render';
import { BundleTemplateError } from './bundle-template.error.js';
import { bundleSetFunctions } from './bundleset-functions.js';
import { DEFAULT_TEMPLATE_WALK_LIMITS, mapTemplateStrings } from './template-walk.js';

/**
 * Parses (never evaluates) every string of a submitted template, map keys included, with the
 * BundleSet delimiters and functions, so the API rejects a bad template before saving it.
 * Throws BundleTemplateError `TemplateFailed` naming the field (`template.labels.env`) and the
 * parser's message (unclosed action, `function "env" not defined`, …), or `OutputTooLarge` when
 * the template holds too many strings or nests too deep. Call it after bundleTemplateSchema.
 */
export function checkTemplateSyntax(template: unknown, field = 'template'): void {
  mapTemplateStrings(
    template,
    field,
    (text, at) => {
      if (!hasTemplate(text, GO_DELIMITERS)) return text;
      try {
        checkTemplate(text, { delimiters: GO_DELIMITERS, functions: bundleSetFunctions, limits: { maxTemplateLength: DEFAULT_TEMPLATE_WALK_LIMITS.maxOutputChars } });
      } catch (e) {
        if (!isRenderError(e)) throw e;
        throw new BundleTemplateError('TemplateFailed', e.message, at, undefined, { cause: e });
      }
      // The source counts towards the output bound: a template larger than it can only render larger.
      return text;
    },
    DEFAULT_TEMPLATE_WALK_LIMITS,
  );
}
