import { withTimeout } from '../platform/timeout/with-timeout.js';

/** Longest one readiness check may take (ms), so /readyz answers within about this even when a dependency hangs. */
export const READY_CHECK_TIMEOUT_MS = 1000;

/**
 * Runs one dependency check for /readyz: "ok", or "failed: <why>" when it
 * failed or did not answer within `timeoutMs` (a stopped Redis or an
 * unreachable PostgreSQL must give a quick 503, not a hung probe). Never throws.
 */
export async function readiness(what: string, check: () => PromiseLike<unknown>, timeoutMs = READY_CHECK_TIMEOUT_MS): Promise<string> {
  try {
    await withTimeout(Promise.resolve().then(check), timeoutMs, `${what} check`);
    return 'ok';
  } catch (error) {
    return `failed: ${error instanceof Error ? error.message : String(error)}`;
  }
}
