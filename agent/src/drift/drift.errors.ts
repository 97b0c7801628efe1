/** Why a drift check could not be completed. */
export type DriftCheckReason = 'DryRunFailed';

/**
 * The server-side apply dry-run behind a drift check failed, so drift is
 * unknown (not "none"). `retryable` is false when the server rejected the
 * desired object itself (HTTP 4xx other than 409/429: invalid, forbidden, an
 * immutable field changed), which only a new desired state fixes; it is true
 * for conflicts, throttling, server errors and network failures.
 */
export class DriftCheckError extends Error {
  override readonly name = 'DriftCheckError';

  constructor(
    readonly reason: DriftCheckReason,
    message: string,
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * The HTTP status of a failed request, if the server answered: `status` (the
 * agent's `KubeApiError`, which uses 0 for "not reached") or `code` (other
 * clients' errors, e.g. client-node's `ApiException`).
 */
export function httpStatusOf(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const { status, code } = err as { status?: unknown; code?: unknown };
  for (const value of [status, code]) {
    if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
  }
  return undefined;
}

/**
 * The API server's own message for a failed request, which says what is
 * wrong far better than a client's generic text: the error's `message` (the
 * agent's `KubeApiError` carries the `Status` message there), unless the
 * error has the server's `Status` body (`body`, as client-node's
 * `ApiException`) with a message of its own.
 */
export function apiErrorMessage(err: unknown): string {
  let body = (err as { body?: unknown } | null)?.body;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body) as unknown;
    } catch {
      // Not JSON: use the error's own message.
    }
  }
  const message = (body as { message?: unknown } | null)?.message;
  if (typeof message === 'string' && message) return message;
  if (err instanceof Error) return err.message;
  const own = (err as { message?: unknown } | null)?.message;
  return typeof own === 'string' ? own : String(err);
}

/** Whether a failed request may succeed if tried again unchanged. */
export function isRetryableStatus(status: number | undefined): boolean {
  if (status === undefined) return true;
  return status === 409 || status === 429 || status >= 500 || status < 400;
}
