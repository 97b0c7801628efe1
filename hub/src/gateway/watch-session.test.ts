import type { DesiredState } from '@flotilla/proto';
import { describe, expect, it } from 'vitest';
import { DesiredStateBatcher } from './desired-state.batcher.js';
import type { DesiredStateSnapshot } from './desired-state.js';
import { WatchSession } from './watch-session.js';

/**
 * A fake "database" whose batch reads finish in an order the test chooses:
 * each read captures the generations current when it starts and resolves
 * when released, so later reads could finish before earlier ones if they
 * were allowed to overlap.
 */
function fakeDb() {
  const generation = new Map<string, bigint>();
  let reads = 0;
  let maxConcurrent = 0;
  const readIds: string[][] = [];
  const pending: { result: Map<string, DesiredStateSnapshot>; resolve: (s: Map<string, DesiredStateSnapshot>) => void }[] = [];
  const snapshot = (id: string): DesiredStateSnapshot => {
    const g = generation.get(id) ?? 0n;
    return { generation: g, assignments: [{ deploymentId: `${id}-d`, bundleName: 'b', revision: `r${g}`, contentSize: 1 }] };
  };
  return {
    change: (id = 'c1') => void generation.set(id, (generation.get(id) ?? 0n) + 1n),
    read: (ids: string[]) =>
      new Promise<Map<string, DesiredStateSnapshot>>((resolve) => {
        reads++;
        readIds.push(ids);
        maxConcurrent = Math.max(maxConcurrent, pending.length + 1);
        pending.push({ result: new Map(ids.map((id) => [id, snapshot(id)])), resolve });
      }),
    /** Resolves pending reads, newest first (the worst order for overlapping reads). */
    release: async () => {
      while (pending.length) {
        const next = pending.pop()!;
        next.resolve(next.result);
        await new Promise((r) => setImmediate(r));
      }
    },
    get pendingReads() {
      return pending.length;
    },
    get reads() {
      return reads;
    },
    get maxConcurrent() {
      return maxConcurrent;
    },
    readIds,
  };
}

function session(batcher: DesiredStateBatcher, sent: DesiredState[], clusterId = 'c1', known = '') {
  return new WatchSession({
    principal: { clusterId, clusterName: clusterId } as never,
    agentKnownGeneration: known,
    batcher,
    send: (s) => sent.push(s),
    end: () => undefined,
  });
}

describe('WatchSession with the desired-state batcher', () => {
  it('never sends an older state after a newer one when changes and refreshes race', async () => {
    const db = fakeDb();
    const sent: DesiredState[] = [];
    const s = session(new DesiredStateBatcher(db.read), sent);
    const refreshes: Promise<void>[] = [];
    for (let i = 0; i < 10; i++) {
      db.change();
      refreshes.push(s.refresh());
      if (i % 3 === 0) await db.release();
    }
    while (db.pendingReads) await db.release();
    await Promise.all(refreshes);
    const generations = sent.map((m) => Number(m.generation));
    expect(generations).toEqual([...generations].sort((a, b) => a - b));
    expect(new Set(generations).size).toBe(generations.length);
    expect(generations.at(-1)).toBe(10);
    expect(sent.at(-1)!.deployments[0]!.revision).toBe('r10');
    expect(db.maxConcurrent).toBe(1);
  });

  it('reads the streams that ask meanwhile in one batch, after the read in progress', async () => {
    const db = fakeDb();
    const batcher = new DesiredStateBatcher(db.read);
    const a = session(batcher, [], 'a');
    const first = a.refresh();
    expect(db.pendingReads).toBe(1);
    const waiting = ['b', 'c', 'd'].map((id) => session(batcher, [], id).refresh());
    const again = a.refresh();
    await db.release();
    await Promise.all([first, again, ...waiting]);
    expect(db.reads).toBe(2);
    expect(db.readIds).toEqual([['a'], ['b', 'c', 'd', 'a']]);
    expect(db.maxConcurrent).toBe(1);
  });

  it('splits a batch at maxClusters', async () => {
    const db = fakeDb();
    const batcher = new DesiredStateBatcher(db.read, { maxClusters: 2 });
    const all = ['a', 'b', 'c', 'd', 'e'].map((id) => session(batcher, [], id).refresh());
    while (db.pendingReads || db.reads < 3) await db.release();
    await Promise.all(all);
    expect(db.readIds).toEqual([['a'], ['b', 'c'], ['d', 'e']]);
  });

  it('does not resend the generation the agent already holds, and knows what it was sent', async () => {
    const db = fakeDb();
    db.change();
    const sent: DesiredState[] = [];
    const s = session(new DesiredStateBatcher(db.read), sent, 'c1', '1');
    const r = s.refresh();
    await db.release();
    await r;
    expect(sent).toEqual([]);
    expect(s.isBehind(1n)).toBe(false);
    expect(s.isBehind(2n)).toBe(true);
    expect(s.assignedRevisionSize('r1')).toBe(1);
    expect(s.assignedRevisionSize('r0')).toBeUndefined();
  });

  it('writes nothing once closed', async () => {
    const db = fakeDb();
    const sent: DesiredState[] = [];
    const s = session(new DesiredStateBatcher(db.read), sent);
    const r = s.refresh();
    s.markClosed();
    await db.release();
    await r;
    expect(sent).toEqual([]);
    expect(s.isBehind(5n)).toBe(false);
  });

  it('rejects the waiters of a failed read and goes on with the next batch', async () => {
    let calls = 0;
    const batcher = new DesiredStateBatcher(async (ids) => {
      if (calls++ === 0) throw new Error('database unavailable');
      return new Map(ids.map((id) => [id, { generation: 3n, assignments: [] }]));
    });
    const sent: DesiredState[] = [];
    const s = session(batcher, sent);
    await expect(s.refresh()).rejects.toThrow('database unavailable');
    await s.refresh();
    expect(sent.map((m) => m.generation)).toEqual(['3']);
  });

  it('reads a stream again only once minIntervalMs passed (its changes meanwhile in one read); other streams go at once', async () => {
    const reads: { ids: string[]; at: number }[] = [];
    const start = Date.now();
    const batcher = new DesiredStateBatcher(async (ids) => {
      reads.push({ ids, at: Date.now() - start });
      return new Map(ids.map((id) => [id, { generation: BigInt(reads.length), assignments: [] }]));
    }, { minIntervalMs: 300 });
    const a = session(batcher, [], 'a');
    await a.refresh();
    const again = [a.refresh(), a.refresh(), a.refresh()];
    await new Promise((r) => setTimeout(r, 50));
    await session(batcher, [], 'b').refresh(); // not read lately: not held up by a's wait
    await Promise.all(again);
    expect(reads.map((r) => r.ids)).toEqual([['a'], ['b'], ['a']]);
    expect(reads[1]!.at).toBeLessThan(200);
    expect(reads[2]!.at).toBeGreaterThanOrEqual(295);
  });
});

