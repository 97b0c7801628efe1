import { describe, expect, it } from 'vitest';
import { GroupCommit } from './group-commit.js';

/** A flush the test releases by hand, recording the batches it was given. */
function gated() {
  const batches: number[][] = [];
  const gates: (() => void)[] = [];
  const flush = async (items: number[]) => {
    batches.push(items);
    await new Promise<void>((release) => gates.push(release));
    if (items.includes(13)) throw new Error('13 is bad');
    return items.map((i) => i * 10);
  };
  const release = async () => {
    while (gates.length === 0) await new Promise((r) => setImmediate(r));
    gates.shift()!();
    await new Promise((r) => setImmediate(r));
  };
  return { batches, flush, release };
}

describe('GroupCommit', () => {
  it('flushes a lone item at once, and what arrives meanwhile together in the next flush', async () => {
    const g = gated();
    const commit = new GroupCommit(g.flush, { maxWeight: 100 });
    const first = commit.submit(1);
    const later = [commit.submit(2), commit.submit(3), commit.submit(4)];
    expect(g.batches).toEqual([[1]]);
    await g.release();
    expect(await first).toBe(10);
    expect(g.batches).toEqual([[1], [2, 3, 4]]);
    await g.release();
    expect(await Promise.all(later)).toEqual([20, 30, 40]);
  });

  it('bounds a flush by weight, but always takes the first item', async () => {
    const g = gated();
    const commit = new GroupCommit(g.flush, { maxWeight: 5, weight: (i) => i });
    const all = [commit.submit(9), commit.submit(2), commit.submit(3), commit.submit(1)];
    await g.release();
    await g.release();
    await g.release();
    expect(await Promise.all(all)).toEqual([90, 20, 30, 10]);
    expect(g.batches).toEqual([[9], [2, 3], [1]]);
  });

  it('retries a failed batch item by item: only the bad item fails', async () => {
    const g = gated();
    const commit = new GroupCommit(g.flush, { maxWeight: 100 });
    const first = commit.submit(1);
    const rest = [commit.submit(12), commit.submit(13), commit.submit(14)].map((p) => p.then((v) => ({ v }), (e: Error) => ({ e: e.message })));
    await g.release(); // [1]
    await g.release(); // [12, 13, 14] fails
    await g.release(); // [12]
    await g.release(); // [13] fails
    await g.release(); // [14]
    expect(await first).toBe(10);
    expect(await Promise.all(rest)).toEqual([{ v: 120 }, { e: '13 is bad' }, { v: 140 }]);
    expect(g.batches).toEqual([[1], [12, 13, 14], [12], [13], [14]]);
  });
});
