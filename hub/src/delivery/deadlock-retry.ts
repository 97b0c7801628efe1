/** PostgreSQL detected a deadlock (40P01) or a serialization failure (40001): the transaction was rolled back whole. */
export function isRetryableConflict(error: unknown): boolean {
  const text = `${(error as { code?: unknown })?.code ?? ''} ${(error as Error)?.message ?? ''}`;
  return /\b(40P01|40001|P2034)\b/.test(text);
}

/**
 * Runs a transaction again when PostgreSQL chose it as a deadlock victim.
 * Fan-outs of different bundles lock the same cluster rows (their
 * generations) and so does the presence flush; a victim's work was rolled
 * back whole, so running it again is safe. Other errors are thrown at once.
 */
export async function retryOnConflict<T>(run: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (attempt >= attempts || !isRetryableConflict(error)) throw error;
      await new Promise((r) => setTimeout(r, 20 * attempt + Math.random() * 50));
    }
  }
}
