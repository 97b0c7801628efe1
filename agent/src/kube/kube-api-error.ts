/**
 * A failed Kubernetes API call, carrying the API server's own message (the
 * part users need: "spec.replicas: Invalid value…", "no matches for kind…").
 */
export class KubeApiError extends Error {
  constructor(
    /** HTTP status; 0 when the server was not reached. */
    readonly status: number,
    /** `Status.reason` (e.g. `NotFound`, `Conflict`, `Invalid`) or `Unreachable`. */
    readonly reason: string,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, options);
    this.name = 'KubeApiError';
  }

  /** Transient: the server was unreachable, overloaded or timed out. */
  get retryable(): boolean {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }
}

export function isNotFound(error: unknown): boolean {
  return error instanceof KubeApiError && error.status === 404;
}
