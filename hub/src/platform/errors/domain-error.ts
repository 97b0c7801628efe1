/**
 * Domain errors carry a reason code; transport layers translate the reason's
 * category to an HTTP status (api/http-error.filter.ts) or a gRPC status
 * (gateway/grpc-status.ts) in exactly one place each. Domain code never
 * throws transport-specific exceptions.
 */
export type ErrorCategory =
  | 'InvalidArgument'
  | 'Unauthenticated'
  | 'PermissionDenied'
  | 'NotFound'
  | 'Conflict'
  | 'ResourceExhausted'
  | 'Unavailable'
  | 'Internal';

/** Every reason a domain error can have, with its category. */
export const ERROR_REASONS = {
  ValidationFailed: 'InvalidArgument',
  InvalidSelector: 'InvalidArgument',
  InvalidLabels: 'InvalidArgument',
  InvalidManifest: 'InvalidArgument',
  InvalidTarget: 'InvalidArgument',
  BundleNotFound: 'NotFound',
  DeploymentNotFound: 'NotFound',
  RevisionNotAssigned: 'PermissionDenied',
  ApiTokenMissing: 'Unauthenticated',
  ApiTokenInvalid: 'Unauthenticated',
  ApiRoleForbidden: 'PermissionDenied',
  RegistrationTokenInvalid: 'Unauthenticated',
  RegistrationTokenExpired: 'Unauthenticated',
  RegistrationTokenExhausted: 'Unauthenticated',
  RegistrationTokenRevoked: 'Unauthenticated',
  RegistrationTokenClusterMismatch: 'PermissionDenied',
  AgentLabelNotAllowed: 'InvalidArgument',
  ClusterIdentityTaken: 'Conflict',
  ClusterCredentialMissing: 'Unauthenticated',
  ClusterCredentialInvalid: 'Unauthenticated',
  ClusterNotFound: 'NotFound',
  ClusterGroupNotFound: 'NotFound',
  RegistrationTokenNotFound: 'NotFound',
  ApiTokenNotFound: 'NotFound',
  ClusterGroupExists: 'Conflict',
  ClusterNameTaken: 'Conflict',
  ClusterGroupInUse: 'Conflict',
  LastAdminToken: 'Conflict',
  DependencyUnavailable: 'Unavailable',
  TooManyStreams: 'ResourceExhausted',
  StreamStalled: 'ResourceExhausted',
  ParserBusy: 'Unavailable',
} as const satisfies Record<string, ErrorCategory>;

export type ErrorReason = keyof typeof ERROR_REASONS;

export interface DomainErrorOptions {
  cause?: unknown;
  /** Name of the offending input field (JSON path such as `labels.env`). */
  field?: string;
}

export class DomainError extends Error {
  readonly reason: ErrorReason;
  readonly field: string | undefined;

  constructor(reason: ErrorReason, message: string, options: DomainErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DomainError';
    this.reason = reason;
    this.field = options.field;
  }

  get category(): ErrorCategory {
    return ERROR_REASONS[this.reason];
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
