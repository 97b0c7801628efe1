import { describe, expect, it } from 'vitest';
import { PerClusterLimiter } from './per-cluster.limiter.js';

describe('PerClusterLimiter', () => {
  it('refuses the slot over the limit with TooManyStreams, per cluster, and frees it on release (once)', () => {
    const limiter = new PerClusterLimiter(2, 'content streams');
    const a1 = limiter.acquire('a');
    limiter.acquire('a');
    expect(() => limiter.acquire('a')).toThrow(expect.objectContaining({ reason: 'TooManyStreams', message: expect.stringContaining('limit 2') }));
    expect(() => limiter.acquire('b')).not.toThrow();
    a1();
    a1();
    expect(limiter.held('a')).toBe(1);
    expect(() => limiter.acquire('a')).not.toThrow();
  });
});
