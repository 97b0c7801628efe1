/**
 * What the stream writers need of a gRPC server stream: grpc-js's
 * `ServerWritableStream` is a Node Writable in object mode whose write
 * callback runs once the message was handed to HTTP/2 (so, under flow
 * control, once the peer read enough of what came before), and which emits
 * `cancelled` when the peer goes away.
 */
export interface PeerStream<T> {
  write(message: T, callback: (error?: Error | null) => void): boolean;
  once(event: 'cancelled' | 'close' | 'error' | 'finish', listener: () => void): unknown;
  readonly cancelled: boolean;
  readonly destroyed: boolean;
}

/** Calls `listener` once, when the peer cancels or the stream ends or fails. */
export function onGone<T>(stream: PeerStream<T>, listener: () => void): void {
  let called = false;
  const once = () => {
    if (called) return;
    called = true;
    listener();
  };
  for (const event of ['cancelled', 'close', 'error'] as const) stream.once(event, once);
}
