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
  /** A bundle directory archive that is not a gzipped tar, or holds links, absolute or escaping paths, too much. */
  InvalidBundleArchive: 'InvalidArgument',
  /** A bundle directory whose fleet.yaml (or layout) cannot be read; the message names file, line and field. */
  InvalidBundleSource: 'InvalidArgument',
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
  /** A secret was given but the hub has no FLOTILLA_SECRET_KEYS to seal it with (or lacks the key that sealed it). */
  SecretKeysMissing: 'Unavailable',
  SecretUnreadable: 'Internal',
  /** A GitRepo body whose URL, ref, paths or credentials are not usable; the message names the field. */
  InvalidGitRepo: 'InvalidArgument',
  GitRepoNotFound: 'NotFound',
  /** A bundle discovered in a GitRepo: only its syncs change it. */
  BundleOwnedByGitRepo: 'Conflict',
  /** A webhook delivery without any known provider's headers, or whose body is not that provider's JSON. */
  WebhookUnrecognised: 'InvalidArgument',
  /** A webhook delivery whose signature (or token) matches no GitRepo of its repository, or that has none. */
  WebhookSignatureInvalid: 'Unauthenticated',
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
