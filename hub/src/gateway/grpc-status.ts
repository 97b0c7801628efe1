import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { REASON_METADATA_KEY } from '@flotilla/proto';
import { DomainError, type ErrorCategory } from '../platform/errors/domain-error.js';
import { asTransientError } from '../platform/errors/transient-error.js';

/** The one place domain errors become gRPC statuses. */
const CODES: Record<ErrorCategory, status> = {
  InvalidArgument: status.INVALID_ARGUMENT,
  Unauthenticated: status.UNAUTHENTICATED,
  PermissionDenied: status.PERMISSION_DENIED,
  NotFound: status.NOT_FOUND,
  Conflict: status.ALREADY_EXISTS,
  ResourceExhausted: status.RESOURCE_EXHAUSTED,
  Unavailable: status.UNAVAILABLE,
  Internal: status.INTERNAL,
};

/** Trailing metadata key carrying the machine-readable reason (shared with the agent). */
export { REASON_METADATA_KEY } from '@flotilla/proto';

export function toGrpcError(error: unknown): Partial<ServiceError> & { code: status; details: string } {
  const metadata = new Metadata();
  error = error instanceof DomainError ? error : (asTransientError(error) ?? error);
  if (error instanceof DomainError) {
    metadata.set(REASON_METADATA_KEY, error.reason);
    const details = error.field ? `${error.message} (field ${error.field})` : error.message;
    return { code: CODES[error.category], details, metadata };
  }
  // Internal details stay in the hub's log, not in the agent's error.
  metadata.set(REASON_METADATA_KEY, 'Internal');
  return { code: status.INTERNAL, details: 'internal error in the hub', metadata };
}
