import { createHmac, timingSafeEqual } from 'node:crypto';

/** Header names of a webhook delivery (docs/events.md). */
export const WEBHOOK_HEADERS = {
  event: 'x-flotilla-event',
  delivery: 'x-flotilla-delivery',
  timestamp: 'x-flotilla-timestamp',
  signature: 'x-flotilla-signature',
} as const;

/** How far a receiver should accept a timestamp from its own clock (seconds): the replay window. */
export const REPLAY_WINDOW_SECONDS = 300;

/** `sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>` (pure). */
export function signature(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * What a receiver does (pure; the tests and docs/events.md use it): the
 * signature matches the timestamp and the body, and the timestamp is within
 * the replay window of `now` (seconds).
 */
export function verifySignature(secret: string, header: string | undefined, timestamp: string | undefined, body: string, now: number, windowSeconds = REPLAY_WINDOW_SECONDS): boolean {
  if (!header || !timestamp || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(now - Number(timestamp)) > windowSeconds) return false;
  const expected = Buffer.from(signature(secret, Number(timestamp), body));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
