import { status } from '@grpc/grpc-js';
import { REASON_METADATA_KEY } from '@flotilla/proto';
import { messageOf } from '../errors.js';

/** What a failed hub call said, in the shape the agent logs it. */
export interface HubFailure {
  /** gRPC status name (`UNAUTHENTICATED`), or the number when unknown. */
  code: string | number | undefined;
  details: string;
  /** The hub's machine-readable reason (`flotilla-reason` trailer), when it sent one. */
  reason: string | undefined;
}

/**
 * Reads a gRPC error as the hub meant it: the status, the human text and
 * the reason code from the trailer. The reason is what tells "token expired"
 * from "token exhausted" without parsing `details`.
 */
export function hubFailure(error: unknown): HubFailure {
  const e = error as { code?: unknown; details?: unknown; metadata?: { get?: (key: string) => unknown[] } } | undefined;
  const code = typeof e?.code === 'number' ? (status[e.code] ?? e.code) : undefined;
  const details = typeof e?.details === 'string' && e.details !== '' ? e.details : messageOf(error);
  const value = typeof e?.metadata?.get === 'function' ? e.metadata.get(REASON_METADATA_KEY)[0] : undefined;
  const reason = value === undefined ? undefined : String(value);
  return { code, details, reason };
}

/** The error's message plus the hub's reason code, for errors that end up in a deployment status. */
export function describeHubFailure(error: unknown): string {
  const { reason } = hubFailure(error);
  return reason === undefined ? messageOf(error) : `${messageOf(error)} (hub reason ${reason})`;
}
