/**
 * Every failure the agent reports on a deployment has one of these reasons,
 * like Flux's typed conditions (`BuildFailed`, `PruneFailed`, …). The reason is
 * what the hub, the API and the dashboard show; the message says what to do.
 */
export type FailureReason =
  | 'ContentFetchFailed'
  | 'ContentInvalid'
  | 'PlanFailed'
  | 'ApplyFailed'
  | 'OwnershipConflict'
  | 'NamespaceNotAllowed'
  | 'PruneFailed'
  | 'EmptyRevisionRefused'
  /** A hook (Helm or Argo CD) failed, timed out or could not be created, or the objects PostSync hooks wait for did not become healthy; names the hook (or objects) and why. */
  | 'HookFailed'
  /** The objects of a sync wave did not become healthy within the hook timeout; the later waves were not applied. */
  | 'WaveNotHealthy';

/**
 * A failure with a reason. `retryable` is decided where the error is raised:
 * a timeout or an unreachable API server is worth retrying, a schema error in
 * the bundle is not (until the bundle changes).
 */
export class AgentError extends Error {
  readonly reason: FailureReason;
  readonly retryable: boolean;

  constructor(reason: FailureReason, message: string, options: { cause?: unknown; retryable?: boolean } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AgentError';
    this.reason = reason;
    this.retryable = options.retryable ?? false;
  }
}

/** The message of anything thrown, without a stack. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
