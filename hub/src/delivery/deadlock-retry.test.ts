import { describe, expect, it } from 'vitest';
import { isRetryableConflict, retryOnConflict } from './deadlock-retry.js';

describe('retryOnConflict', () => {
  it('runs a deadlock victim again and returns its result', async () => {
    let calls = 0;
    const result = await retryOnConflict(async () => {
      if (++calls < 3) throw new Error('Raw query failed. Code: `40P01`. Message: `deadlock detected`');
      return 'done';
    });
    expect(result).toBe('done');
    expect(calls).toBe(3);
  });
  it('throws other errors at once, and a conflict after the last attempt', async () => {
    let calls = 0;
    await expect(retryOnConflict(async () => (calls++, Promise.reject(new Error('relation does not exist'))))).rejects.toThrow('relation');
    expect(calls).toBe(1);
    await expect(retryOnConflict(async () => Promise.reject(Object.assign(new Error('x'), { code: 'P2034' })), 2)).rejects.toThrow('x');
    expect(isRetryableConflict(new Error('could not serialize access (40001)'))).toBe(true);
    expect(isRetryableConflict(new Error('unique violation 23505'))).toBe(false);
  });
});
