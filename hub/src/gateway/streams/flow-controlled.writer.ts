import { DomainError } from '../../platform/errors/domain-error.js';
import { onGone, type PeerStream } from './peer-stream.js';

/**
 * Writes a sequence of messages (content chunks) keeping at most
 * `maxBufferedBytes` written but not yet handed to HTTP/2: a paused or slow
 * agent holds the hub to that many bytes per stream instead of everything
 * grpc-js would buffer (16 messages, 16 MiB of 1 MiB chunks). A peer that
 * lets nothing through for `stallMs` is dropped with `StreamStalled`.
 */
export class FlowControlledWriter<T> {
  private buffered = 0;
  private wake: (() => void) | undefined;
  private gone = false;

  constructor(
    private readonly stream: PeerStream<T>,
    private readonly maxBufferedBytes: number,
    private readonly stallMs: number,
  ) {
    onGone(stream, () => {
      this.gone = true;
      this.wake?.();
    });
  }

  /** True once the peer went away: nothing more will be written. */
  get isGone(): boolean {
    return this.gone || this.stream.cancelled || this.stream.destroyed;
  }

  /** Bytes written and not yet handed to HTTP/2. */
  get bufferedBytes(): number {
    return this.buffered;
  }

  /**
   * Writes `message` (`bytes` long) and resolves once the buffer is back
   * within its bound: true, or false when the peer went away (stop writing).
   * Rejects with `StreamStalled` when the peer read nothing for `stallMs`.
   */
  async write(message: T, bytes: number): Promise<boolean> {
    if (this.isGone) return false;
    this.buffered += bytes;
    this.stream.write(message, () => {
      this.buffered -= bytes;
      this.wake?.();
    });
    while (this.buffered > this.maxBufferedBytes && !this.isGone) {
      if (!(await this.progressWithin(this.stallMs)) && !this.isGone) throw stalled(this.stallMs);
    }
    return !this.isGone;
  }

  private progressWithin(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = undefined;
        resolve(false);
      }, ms);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve(true);
      };
    });
  }
}

export function stalled(ms: number): DomainError {
  return new DomainError('StreamStalled', `the agent read nothing for ${Math.round(ms / 1000)} s; the hub dropped the stream (the agent retries)`);
}
