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

/** The HTTP status of a client error (`ApiException.code`), if it has one. */
export function httpStatusOf(err: unknown): number | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

/**
 * The API server's own message for a failed request (the `message` of the
 * `Status` body), which says what is wrong far better than the client's
 * generic text; falls back to the error's message.
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
  return err instanceof Error ? err.message : String(err);
}

/** Whether a failed request may succeed if tried again unchanged. */
export function isRetryableStatus(status: number | undefined): boolean {
  if (status === undefined) return true;
  return status === 409 || status === 429 || status >= 500 || status < 400;
}
