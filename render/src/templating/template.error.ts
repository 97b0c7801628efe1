/**
 * A failure inside the template engine (parse or execution). Carries no file or field: the caller
 * (evaluateTemplate) knows where the template came from and turns this into a RenderError.
 */
export class TemplateError extends Error {
  override readonly name = 'TemplateError';
  constructor(
    message: string,
    /** `OutputTooLarge` when the output bound was passed, else a template fault. */
    readonly kind: 'TemplateFailed' | 'OutputTooLarge' = 'TemplateFailed',
  ) {
    super(message);
  }
}
