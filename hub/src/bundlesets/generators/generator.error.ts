/** Why a generator could not yield its parameter sets. */
export type GeneratorErrorReason =
  | 'InvalidGenerator'
  | 'GitRepoNotFound'
  | 'GitUnavailable'
  | 'GitFileUnreadable'
  | 'GitFileInvalid'
  | 'TemplateFailed'
  | 'TooManyParameterSets'
  | 'MergeKeyMissing'
  /** Two parameter sets of one merge child share their merge-key values (argo-cd `ErrNonUniqueParamSets`). */
  | 'MergeKeyNotUnique';

/**
 * A generator's failure: the BundleSet's evaluation stops and changes
 * nothing (no bundle created, updated or deleted), and its status shows the
 * reason, the field (`generators[0].matrix.generators[1].gitFiles`) and,
 * for a file, where in it.
 */
export class GeneratorError extends Error {
  override readonly name = 'GeneratorError';
  constructor(
    readonly reason: GeneratorErrorReason,
    message: string,
    readonly where: { field?: string; file?: string; line?: number } = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
