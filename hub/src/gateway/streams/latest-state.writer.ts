import { onGone, type PeerStream } from './peer-stream.js';

/**
 * Writes messages of which each supersedes the one before (a Watch stream's
 * desired states: every one is the cluster's whole state). While one is not
 * yet handed to HTTP/2, a newer one replaces the one waiting, so a stream
 * whose agent does not read holds at most two messages however often its
 * state changes. A message that stays unsent for `stallMs` calls `onStall`
 * (the caller drops the stream).
 */
export class LatestStateWriter<T> {
  private inFlight = false;
  private waiting: { message: T } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private gone = false;

  constructor(
    private readonly stream: PeerStream<T>,
    private readonly stallMs: number,
    private readonly onStall: () => void,
  ) {
    onGone(stream, () => {
      this.gone = true;
      this.waiting = undefined;
      clearTimeout(this.timer);
    });
  }

  /** True while a message waits behind one the peer has not taken yet. */
  get hasWaiting(): boolean {
    return this.waiting !== undefined;
  }

  write(message: T): void {
    if (this.gone || this.stream.cancelled || this.stream.destroyed) return;
    if (this.inFlight) {
      this.waiting = { message };
      return;
    }
    this.send(message);
  }

  private send(message: T): void {
    this.inFlight = true;
    this.timer = setTimeout(() => {
      if (!this.gone) this.onStall();
    }, this.stallMs);
    this.timer.unref();
    this.stream.write(message, () => {
      clearTimeout(this.timer);
      this.inFlight = false;
      const next = this.waiting;
      this.waiting = undefined;
      if (next && !this.gone) this.send(next.message);
    });
  }
}
