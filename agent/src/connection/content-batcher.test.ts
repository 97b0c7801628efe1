import { status } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { ContentBatcher } from './content-batcher.js';

const content = (revision: string) => Buffer.from(`content of ${revision}`);

/** A hub double that records each call (pure logic: the real hub is exercised in test/hub/content-streaming.test.ts). */
function hub(options: { manyFails?: (revisions: string[]) => unknown; oneFails?: (revision: string) => unknown } = {}) {
  const calls: string[][] = [];
  const one: string[] = [];
  return {
    calls,
    one,
    deps: {
      fetchOne: async (revision: string) => {
        one.push(revision);
        const error = options.oneFails?.(revision);
        if (error) throw error;
        return content(revision);
      },
      fetchMany: async (revisions: string[]) => {
        calls.push(revisions);
        const error = options.manyFails?.(revisions);
        if (error) throw error;
        return new Map(revisions.map((r) => [r, content(r)]));
      },
    },
  };
}

describe('ContentBatcher', () => {
  it('joins fetches started within the window into one call, each getting its own content', async () => {
    const h = hub();
    const batcher = new ContentBatcher({ ...h.deps, windowMs: 5 });
    const results = await Promise.all(['a', 'b', 'c'].map((r) => batcher.fetch(r)));
    expect(results.map(String)).toEqual(['content of a', 'content of b', 'content of c']);
    expect(h.calls).toEqual([['a', 'b', 'c']]);
    expect(h.one).toEqual([]);
  });

  it('asks for a revision once however many deployments wait for it', async () => {
    const h = hub();
    const batcher = new ContentBatcher({ ...h.deps, windowMs: 5 });
    const results = await Promise.all(['a', 'b', 'a'].map((r) => batcher.fetch(r)));
    expect(results.map(String)).toEqual(['content of a', 'content of b', 'content of a']);
    expect(h.calls).toEqual([['a', 'b']]);
  });

  it('sends a full batch at once and starts the next', async () => {
    const h = hub();
    const batcher = new ContentBatcher({ ...h.deps, windowMs: 60_000, maxBatch: 2 });
    await Promise.all(['a', 'b', 'c', 'd'].map((r) => batcher.fetch(r)));
    expect(h.calls).toEqual([['a', 'b'], ['c', 'd']]);
  });

  it('fetches a lone revision with a single call', async () => {
    const h = hub();
    expect(String(await new ContentBatcher({ ...h.deps, windowMs: 1 }).fetch('a'))).toBe('content of a');
    expect(h.calls).toEqual([]);
    expect(h.one).toEqual(['a']);
  });

  it('fetches each revision of a failed batch alone, so one bad revision fails only its own deployment', async () => {
    const notAssigned = Object.assign(new Error('revision b is not assigned to this cluster'), { code: status.NOT_FOUND });
    const h = hub({ manyFails: () => notAssigned, oneFails: (r) => (r === 'b' ? notAssigned : undefined) });
    const batcher = new ContentBatcher({ ...h.deps, windowMs: 5 });
    const [a, b, c] = await Promise.allSettled(['a', 'b', 'c'].map((r) => batcher.fetch(r)));
    expect(a).toEqual({ status: 'fulfilled', value: content('a') });
    expect(b).toEqual({ status: 'rejected', reason: notAssigned });
    expect(c).toEqual({ status: 'fulfilled', value: content('c') });
    expect(h.one.sort()).toEqual(['a', 'b', 'c']);
  });

  it('stops batching with a hub that does not know GetBundleContents', async () => {
    const h = hub({ manyFails: () => Object.assign(new Error('unimplemented'), { code: status.UNIMPLEMENTED }) });
    const batcher = new ContentBatcher({ ...h.deps, windowMs: 5 });
    await Promise.all(['a', 'b'].map((r) => batcher.fetch(r)));
    await Promise.all(['c', 'd'].map((r) => batcher.fetch(r)));
    expect(h.calls).toEqual([['a', 'b']]);
    expect(h.one.sort()).toEqual(['a', 'b', 'c', 'd']);
  });
});
