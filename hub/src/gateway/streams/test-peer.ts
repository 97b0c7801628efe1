import { Writable } from 'node:stream';
import type { PeerStream } from './peer-stream.js';

/**
 * A real object-mode Writable whose writes complete only when the test lets
 * them through (`release`), as a gRPC stream under HTTP/2 flow control does
 * when its peer stops reading. For the writers' unit tests.
 */
export class HeldPeer<T> extends Writable implements PeerStream<T> {
  cancelled = false;
  readonly accepted: T[] = [];
  private readonly held: (() => void)[] = [];

  constructor() {
    super({ objectMode: true });
  }

  override _write(message: T, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.accepted.push(message);
    this.held.push(() => callback());
  }

  /** Lets the oldest held write complete (the peer read it); returns false when none is held. */
  release(): boolean {
    const next = this.held.shift();
    next?.();
    return next !== undefined;
  }

  cancel(): void {
    this.cancelled = true;
    this.emit('cancelled');
  }
}

export const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
