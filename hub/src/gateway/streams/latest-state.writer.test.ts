import { afterEach, describe, expect, it, vi } from 'vitest';
import { LatestStateWriter } from './latest-state.writer.js';
import { HeldPeer, tick } from './test-peer.js';

describe('LatestStateWriter', () => {
  afterEach(() => vi.useRealTimers());

  it('holds at most one message behind the unsent one; the newest wins', async () => {
    const peer = new HeldPeer<number>();
    const writer = new LatestStateWriter(peer, 60_000, () => undefined);
    for (let generation = 1; generation <= 1000; generation++) writer.write(generation);
    await tick();
    expect(peer.accepted).toEqual([1]);
    expect(writer.hasWaiting).toBe(true);
    peer.release();
    await tick();
    expect(peer.accepted).toEqual([1, 1000]);
    expect(writer.hasWaiting).toBe(false);
    peer.release();
    writer.write(1001);
    await tick();
    expect(peer.accepted).toEqual([1, 1000, 1001]);
  });

  it('calls onStall when a message stays unsent for the stall time, not while the peer reads', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const peer = new HeldPeer<number>();
    let stalls = 0;
    const writer = new LatestStateWriter(peer, 80, () => stalls++);
    writer.write(1);
    vi.advanceTimersByTime(60);
    peer.release();
    await tick();
    writer.write(2);
    vi.advanceTimersByTime(60);
    expect(stalls).toBe(0);
    vi.advanceTimersByTime(30);
    expect(stalls).toBe(1);
  });

  it('writes nothing after the peer went away', async () => {
    const peer = new HeldPeer<number>();
    const writer = new LatestStateWriter(peer, 60_000, () => undefined);
    writer.write(1);
    writer.write(2);
    peer.cancel();
    peer.release();
    writer.write(3);
    await tick();
    expect(peer.accepted).toEqual([1]);
  });
});
