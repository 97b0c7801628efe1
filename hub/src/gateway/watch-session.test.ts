import type { DesiredState } from '@flotilla/proto';
import { describe, expect, it } from 'vitest';
import type { DesiredStateSnapshot } from './desired-state.js';
import { WatchSession } from './watch-session.js';

const principal = { clusterId: 'c1', clusterName: 'one' } as never;

/**
 * A fake "database" whose reads finish in an order the test chooses: each
 * read captures the generation current when it starts and resolves when
 * released, so later reads can finish before earlier ones.
 */
function fakeDb() {
  let generation = 0n;
  let reads = 0;
  let maxConcurrent = 0;
  const pending: { snapshot: DesiredStateSnapshot; resolve: (s: DesiredStateSnapshot) => void }[] = [];
  return {
    change: () => void (generation += 1n),
    read: () =>
      new Promise<DesiredStateSnapshot>((resolve) => {
        reads++;
        maxConcurrent = Math.max(maxConcurrent, pending.length + 1);
        pending.push({ snapshot: { generation, assignments: [{ deploymentId: `d${generation}`, bundleName: 'b', revision: `r${generation}`, contentSize: 1 }] }, resolve });
      }),
    /** Resolves the pending reads, newest first (the worst order for an unserialised stream). */
    releaseNewestFirst: async () => {
      while (pending.length) {
        const next = pending.pop()!;
        next.resolve(next.snapshot);
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
  };
}

function session(db: ReturnType<typeof fakeDb>, sent: DesiredState[], known = '') {
  return new WatchSession({ principal, agentKnownGeneration: known, read: db.read, send: (s) => sent.push(s), end: () => undefined });
}

describe('WatchSession', () => {
  it('never sends an older state after a newer one when changes and refreshes race', async () => {
    const db = fakeDb();
    const sent: DesiredState[] = [];
    const s = session(db, sent);
    const refreshes: Promise<void>[] = [];
    for (let i = 0; i < 10; i++) {
      db.change();
      refreshes.push(s.refresh());
      if (i % 3 === 0) await db.releaseNewestFirst();
    }
    while (db.pendingReads) await db.releaseNewestFirst();
    await Promise.all(refreshes);
    const generations = sent.map((m) => Number(m.generation));
    expect(generations).toEqual([...generations].sort((a, b) => a - b));
    expect(new Set(generations).size).toBe(generations.length);
    expect(generations.at(-1)).toBe(10);
    expect(sent.at(-1)!.deployments[0]!.revision).toBe('r10');
  });

  it('runs at most one read at a time and collapses requests that arrive meanwhile into one', async () => {
    const db = fakeDb();
    const s = session(db, []);
    const all = [s.refresh(), s.refresh(), s.refresh(), s.refresh()];
    expect(db.pendingReads).toBe(1);
    await db.releaseNewestFirst();
    await Promise.all(all);
    expect(db.reads).toBe(2); // the first, then one trailing refresh for the three that waited
    expect(db.maxConcurrent).toBe(1);
  });

  it('does not resend the generation the agent already holds, and reports when it is behind', async () => {
    const db = fakeDb();
    db.change();
    const sent: DesiredState[] = [];
    const s = session(db, sent, '1');
    const r = s.refresh();
    await db.releaseNewestFirst();
    await r;
    expect(sent).toEqual([]);
    expect(s.isBehind(1n)).toBe(false);
    expect(s.isBehind(2n)).toBe(true);
  });

  it('writes nothing once closed', async () => {
    const db = fakeDb();
    const sent: DesiredState[] = [];
    const s = session(db, sent);
    const r = s.refresh();
    s.markClosed();
    await db.releaseNewestFirst();
    await r;
    expect(sent).toEqual([]);
    expect(s.isBehind(5n)).toBe(false);
  });
});
