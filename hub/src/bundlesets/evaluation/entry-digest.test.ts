import { describe, expect, it } from 'vitest';
import { entryDigest } from './entry-digest.js';

describe('entryDigest', () => {
  it('is the same whatever the key order, and differs when a value does', () => {
    const a = { list: { elements: [{ app: 'web', env: 'prod' }] }, selector: { matchLabels: { x: 'y' } } };
    const b = { selector: { matchLabels: { x: 'y' } }, list: { elements: [{ env: 'prod', app: 'web' }] } };
    expect(entryDigest(a)).toBe(entryDigest(b));
    expect(entryDigest(a)).not.toBe(entryDigest({ ...a, list: { elements: [{ app: 'db', env: 'prod' }] } }));
    // List order matters (it is the parameter sets' order).
    expect(entryDigest({ l: [1, 2] })).not.toBe(entryDigest({ l: [2, 1] }));
  });
});
