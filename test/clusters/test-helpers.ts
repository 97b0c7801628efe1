/** Small helpers shared by the harness's tests. */

/** True for a @kubernetes/client-node ApiException with HTTP status 404. */
export function isNotFound(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 404;
}
