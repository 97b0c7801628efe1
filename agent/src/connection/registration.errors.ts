import { status } from '@grpc/grpc-js';
import { hubFailure, type HubFailure } from './hub-failure.js';

/** Hub answers that mean "this token will not work" (unknown, expired, exhausted, revoked). */
const TOKEN_REJECTED = new Set([status.UNAUTHENTICATED, status.PERMISSION_DENIED, status.NOT_FOUND, status.FAILED_PRECONDITION]);
/** Hub answers that mean "the request is malformed" (cluster name, identity, labels): the token may be fine. */
const REQUEST_REJECTED = new Set([status.INVALID_ARGUMENT]);

/** The hub refused the registration token itself. */
export class TokenRejectedError extends Error {
  readonly failure: HubFailure;

  constructor(failure: HubFailure) {
    super(`registration token rejected: ${failure.details}`);
    this.name = 'TokenRejectedError';
    this.failure = failure;
  }
}

/** The hub refused what the agent sent with the token (its configuration), not the token. */
export class RegistrationRequestRejectedError extends Error {
  readonly failure: HubFailure;

  constructor(failure: HubFailure) {
    super(`registration request rejected: ${failure.details}`);
    this.name = 'RegistrationRequestRejectedError';
    this.failure = failure;
  }
}

/**
 * The hub already has a cluster with this agent's identity and the token is
 * not bound to it (issue #9): the agent lost its credential Secret (or another
 * install runs on the same cluster). Only a token issued for that cluster, or
 * deregistering it on the hub, gets past this.
 */
export class ClusterIdentityTakenError extends Error {
  readonly failure: HubFailure;

  constructor(failure: HubFailure) {
    super(`cluster identity taken: ${failure.details}`);
    this.name = 'ClusterIdentityTakenError';
    this.failure = failure;
  }
}

/** Reason the hub sends (`flotilla-reason`) with ALREADY_EXISTS when the identity belongs to a cluster the token is not bound to. */
export const CLUSTER_IDENTITY_TAKEN = 'ClusterIdentityTaken';

export type RegisterRejection = TokenRejectedError | RegistrationRequestRejectedError | ClusterIdentityTakenError;

/** A terminal Register failure as a typed error, or undefined when it is worth retrying soon (hub unreachable, busy). */
export function classifyRegisterFailure(error: unknown): RegisterRejection | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code !== 'number') return undefined;
  const failure = hubFailure(error);
  if (code === status.ALREADY_EXISTS && failure.reason === CLUSTER_IDENTITY_TAKEN) return new ClusterIdentityTakenError(failure);
  if (TOKEN_REJECTED.has(code)) return new TokenRejectedError(failure);
  if (REQUEST_REJECTED.has(code)) return new RegistrationRequestRejectedError(failure);
  return undefined;
}
