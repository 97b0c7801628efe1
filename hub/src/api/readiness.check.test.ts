import { describe, expect, it } from 'vitest';
import { readiness } from './readiness.check.js';

describe('readiness', () => {
  it('is ok when the check answers', async () => {
    expect(await readiness('redis', async () => 'PONG')).toBe('ok');
  });

  it('names the failure when the check fails, also synchronously', async () => {
    expect(await readiness('redis', async () => { throw new Error('connect ECONNREFUSED'); })).toBe('failed: connect ECONNREFUSED');
    expect(await readiness('redis', () => { throw new Error('no client'); })).toBe('failed: no client');
  });

  it('fails a check that does not answer in time instead of waiting for it', async () => {
    const started = Date.now();
    expect(await readiness('database', () => new Promise(() => undefined), 50)).toBe('failed: database check did not finish within 50 ms');
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
