import { describe, expect, it } from 'vitest';
import { TimeoutError, withTimeout } from './with-timeout.js';

describe('withTimeout', () => {
  it('resolves with the value when the promise is in time', async () => {
    await expect(withTimeout(Promise.resolve(42), 1000, 'answer')).resolves.toBe(42);
  });

  it('passes the rejection through when the promise fails in time', async () => {
    await expect(withTimeout(Promise.reject(new Error('boom')), 1000, 'answer')).rejects.toThrow('boom');
  });

  it('rejects with a TimeoutError naming the call once the time is up', async () => {
    const never = new Promise<never>(() => undefined);
    const started = Date.now();
    const error = await withTimeout(never, 50, 'PING').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toBe('PING did not finish within 50 ms');
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });
});
