/**
 * Poll until `fn` stops throwing (and, if it returns a boolean, returns true),
 * then resolve with its result. Tests use this instead of fixed sleeps.
 *
 *   await eventually(async () => {
 *     const d = await apps.readNamespacedDeployment({ name, namespace });
 *     expect(d.status?.availableReplicas).toBe(1);
 *   }, { timeoutMs: 60_000 });
 *
 * On timeout the last error is rethrown (its message prefixed with the time
 * waited), so the failure says what was still wrong.
 */
export interface EventuallyOptions {
  /** Give up after this long. Default 30 s. */
  timeoutMs?: number;
  /** Wait this long between attempts. Default 200 ms. */
  intervalMs?: number;
  /** Optional description used in the timeout message. */
  description?: string;
}

export async function eventually<T>(
  fn: () => T | Promise<T>,
  options: EventuallyOptions = {},
): Promise<Exclude<T, false>> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const intervalMs = options.intervalMs ?? 200;
  const started = Date.now();
  let attempts = 0;
  let lastError: unknown;
  for (;;) {
    attempts++;
    try {
      const result = await fn();
      if (result !== false) return result as Exclude<T, false>;
      lastError = new Error('condition returned false');
    } catch (err) {
      lastError = err;
    }
    const elapsed = Date.now() - started;
    if (elapsed >= timeoutMs) {
      const what = options.description ? ` (${options.description})` : '';
      const reason = lastError instanceof Error ? lastError.message : String(lastError);
      const error = new Error(
        `eventually${what}: still failing after ${elapsed} ms and ${attempts} attempts: ${reason}`,
        { cause: lastError },
      );
      throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(intervalMs, timeoutMs - elapsed)));
  }
}
