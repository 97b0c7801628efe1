/** The bounded call took longer than allowed; what it started may still finish later. */
export class TimeoutError extends Error {
  constructor(what: string, readonly ms: number) {
    super(`${what} did not finish within ${ms} ms`);
    this.name = 'TimeoutError';
  }
}

/**
 * Resolves or rejects like `promise`, or rejects with a TimeoutError after
 * `ms`. The promise itself is not cancelled (a queued Redis command may still
 * run later), so use it only for calls that are safe to complete late.
 */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(what, ms)), ms);
    timer.unref();
  });
  // A rejection after the timeout must not become an unhandled rejection.
  promise.catch(() => undefined);
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}
