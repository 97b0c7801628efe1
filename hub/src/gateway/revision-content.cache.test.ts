import { describe, expect, it } from 'vitest';
import { RevisionContentCache } from './revision-content.cache.js';

const bytes = (n: number, fill = 'x') => Buffer.from(fill.repeat(n));

describe('RevisionContentCache', () => {
  it('shares one load between concurrent misses and serves later gets from memory', async () => {
    const cache = new RevisionContentCache(100);
    let loads = 0;
    const load = async () => {
      loads++;
      await new Promise((r) => setTimeout(r, 5));
      return bytes(10);
    };
    const results = await Promise.all([cache.get('r1', load), cache.get('r1', load), cache.get('r1', load)]);
    expect(loads).toBe(1);
    expect(results.map((r) => r.hit)).toEqual([false, true, true]);
    expect((await cache.get('r1', load)).hit).toBe(true);
    expect(loads).toBe(1);
  });

  it('keeps at most maxBytes, evicting the least recently used', async () => {
    const cache = new RevisionContentCache(30, 30);
    for (const r of ['a', 'b', 'c']) await cache.get(r, async () => bytes(10, r));
    await cache.get('a', async () => bytes(10)); // a is now the most recent
    await cache.get('d', async () => bytes(10, 'd'));
    expect(cache.size).toEqual({ entries: 3, bytes: 30 });
    let reloaded = 0;
    await cache.get('b', async () => (reloaded++, bytes(10)));
    await cache.get('a', async () => (reloaded++, bytes(10)));
    expect(reloaded).toBe(1); // b was evicted, a was kept
  });

  it('does not keep a revision larger than maxItemBytes, and a failed load is not cached', async () => {
    const cache = new RevisionContentCache(100, 20);
    await cache.get('big', async () => bytes(50));
    expect(cache.size.entries).toBe(0);
    await expect(cache.get('bad', async () => Promise.reject(new Error('db down')))).rejects.toThrow('db down');
    expect((await cache.get('bad', async () => bytes(5))).hit).toBe(false);
  });
});
