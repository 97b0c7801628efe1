import { afterEach, describe, expect, it, vi } from 'vitest';
import { FlowControlledWriter } from './flow-controlled.writer.js';
import { HeldPeer, tick } from './test-peer.js';

describe('FlowControlledWriter', () => {
  afterEach(() => vi.useRealTimers());

  it('keeps at most the bound written but unsent: the next write waits until the peer takes one', async () => {
    const peer = new HeldPeer<string>();
    const writer = new FlowControlledWriter(peer, 2, 60_000);
    expect(await writer.write('a', 1)).toBe(true);
    expect(await writer.write('b', 1)).toBe(true);
    let third: boolean | undefined;
    void writer.write('c', 1).then((ok) => (third = ok));
    await tick();
    expect(third).toBeUndefined(); // three bytes buffered > 2: waiting
    expect(writer.bufferedBytes).toBe(3);
    peer.release();
    await tick();
    expect(third).toBe(true);
    expect(writer.bufferedBytes).toBe(2);
  });

  it('stops waiting and answers false when the peer goes away', async () => {
    const peer = new HeldPeer<string>();
    const writer = new FlowControlledWriter(peer, 1, 60_000);
    const pending = writer.write('big', 5);
    peer.cancel();
    expect(await pending).toBe(false);
    expect(await writer.write('more', 1)).toBe(false);
  });

  it('drops a peer that takes nothing for the stall time with StreamStalled', async () => {
    const peer = new HeldPeer<string>();
    const writer = new FlowControlledWriter(peer, 1, 50);
    await expect(writer.write('big', 5)).rejects.toMatchObject({ reason: 'StreamStalled' });
  });

  it('a slow peer that keeps reading is not stalled', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const peer = new HeldPeer<string>();
    const writer = new FlowControlledWriter(peer, 0, 200);
    for (let i = 0; i < 20; i++) {
      const written = writer.write(`m${i}`, 1);
      // The peer takes one message every 150 ms: slower than the writer, never 200 ms without progress.
      vi.advanceTimersByTime(150);
      peer.release();
      expect(await written).toBe(true);
    }
    expect(peer.accepted).toHaveLength(20);
  });
});
