import { describe, expect, it } from 'vitest';
import { SerialQueue } from './serial-queue.js';

/** A promise with its resolve function, to hold a job open. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describe('SerialQueue', () => {
  it('runs one job at a time, in order', async () => {
    const queue = new SerialQueue(() => undefined);
    const log: string[] = [];
    const first = gate();
    void queue.enqueue(async () => {
      log.push('a start');
      await first.promise;
      log.push('a end');
    });
    const done = queue.enqueue(async () => {
      log.push('b');
    });
    await Promise.resolve();
    expect(log).toEqual(['a start']);
    first.open();
    await done;
    expect(log).toEqual(['a start', 'a end', 'b']);
  });

  it('hands a failing job to onError and goes on with the next one', async () => {
    const errors: unknown[] = [];
    const queue = new SerialQueue((error) => errors.push(error));
    void queue.enqueue(() => Promise.reject(new Error('boom')));
    let ran = false;
    await queue.enqueue(async () => {
      ran = true;
    });
    expect(errors).toEqual([new Error('boom')]);
    expect(ran).toBe(true);
  });

  it('coalesces requests with the same key while one is waiting, but not once it started', async () => {
    const queue = new SerialQueue(() => undefined);
    const busy = gate();
    void queue.enqueue(() => busy.promise);
    let runs = 0;
    let started = gate();
    const job = async () => {
      runs++;
      started.open();
    };
    queue.coalesce('reconcile', job);
    queue.coalesce('reconcile', job);
    queue.coalesce('reconcile', job);
    busy.open();
    await started.promise;
    expect(runs).toBe(1);
    // Started: a new request must run again.
    started = gate();
    queue.coalesce('reconcile', job);
    await started.promise;
    expect(runs).toBe(2);
  });

  it('keeps different keys apart', async () => {
    const queue = new SerialQueue(() => undefined);
    const ran: string[] = [];
    queue.coalesce('a', async () => void ran.push('a'));
    queue.coalesce('b', async () => void ran.push('b'));
    await queue.enqueue(async () => undefined);
    expect(ran).toEqual(['a', 'b']);
  });
});
