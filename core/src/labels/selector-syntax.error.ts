/**
 * Thrown by {@link parseSelectorString} when a selector string cannot be
 * parsed or names invalid labels. `field` is the caller's field name, so
 * that each program can turn it into its own error (hub: InvalidSelector).
 */
export class SelectorSyntaxError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
    this.name = 'SelectorSyntaxError';
  }
}
