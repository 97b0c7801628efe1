/** Why manifest input was refused. */
export type ManifestErrorReason =
  | 'ManifestTooLarge'
  | 'DocumentTooLarge'
  | 'TooManyDocuments'
  | 'TooManyObjects'
  | 'TooDeep'
  | 'InvalidYaml'
  | 'NotAnObject'
  | 'InvalidObject'
  | 'DuplicateObject';

/** Where in the input a problem is: the source (a file path or a field), the document and line, both 1-based. */
export interface ManifestPosition {
  source: string;
  document?: number | undefined;
  line?: number | undefined;
}

/**
 * Thrown by the manifest parser and rules. The message starts with the
 * position (`manifests document 3 (line 12): …`); callers turn it into their
 * own error (hub: InvalidManifest with `field` = source).
 */
export class ManifestError extends Error {
  constructor(
    readonly reason: ManifestErrorReason,
    readonly position: ManifestPosition,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${describePosition(position)}: ${detail}`, options);
    this.name = 'ManifestError';
  }
}

/** `source`, `source document N` or `source document N (line L)`. */
export function describePosition(p: ManifestPosition): string {
  const document = p.document === undefined ? '' : ` document ${p.document}`;
  const line = p.document !== undefined && p.line !== undefined ? ` (line ${p.line})` : '';
  return `${p.source}${document}${line}`;
}

export function isManifestError(error: unknown): error is ManifestError {
  return error instanceof ManifestError;
}
