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

/** A terminal Register failure as a typed error, or undefined when it is worth retrying soon (hub unreachable, busy). */
export function classifyRegisterFailure(error: unknown): TokenRejectedError | RegistrationRequestRejectedError | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code !== 'number') return undefined;
  if (TOKEN_REJECTED.has(code)) return new TokenRejectedError(hubFailure(error));
  if (REQUEST_REJECTED.has(code)) return new RegistrationRequestRejectedError(hubFailure(error));
  return undefined;
}
