/** Why one parameter set could not become a bundle. */
export type BundleTemplateErrorReason =
  /** A string of the template does not parse, or reads a key the parameter set lacks (missingkey=error). */
  | 'TemplateFailed'
  /** The rendered template is not a valid bundle (name not a DNS subdomain, `..` path, bad label, …). */
  | 'InvalidOutput'
  /** The rendered template passed its size bound (characters or number of strings). */
  | 'OutputTooLarge';

/**
 * A BundleSet template that failed for one parameter set. Terminal for that input: the BundleSet's
 * evaluation stops and its status shows the reason, `field` (e.g. `template.helm.values.replicas`)
 * and `paramSetIndex` (0-based, the generators' output order); `cause` keeps the engine's error.
 */
export class BundleTemplateError extends Error {
  override readonly name = 'BundleTemplateError';
  constructor(
    readonly reason: BundleTemplateErrorReason,
    /** The bare problem, without field or parameter set (those are in `message` too). */
    readonly detail: string,
    readonly field: string,
    /** Undefined for a check that is independent of parameters (checkTemplateSyntax). */
    readonly paramSetIndex?: number,
    options?: { cause?: unknown },
  ) {
    super(`${field}: ${detail}${paramSetIndex === undefined ? '' : ` (parameter set ${paramSetIndex})`}`, options);
  }
}

/** True when `error` is a BundleTemplateError. */
export function isBundleTemplateError(error: unknown): error is BundleTemplateError {
  return error instanceof BundleTemplateError;
}
