/**
 * Typed errors of the cluster harness. Every error carries a `reason` code so
 * that tests (and the CLI) can tell failures apart without parsing messages,
 * and a message that says what failed and shows the failing component's log
 * tail.
 */

export type BuildFailureReason =
  /** No `go` on PATH nor at /usr/local/go/bin/go. */
  | 'GoMissing'
  /** `go build` (or resolving the kwok stage files) failed. */
  | 'BuildFailed'
  /** Another process held the build lock for too long. */
  | 'LockTimeout';

export type StartFailureReason =
  /** A component process exited while the cluster was starting. */
  | 'ComponentCrashed'
  /** A component could not bind its port (after one retry with new ports). */
  | 'PortInUse'
  /** A readiness condition was not met in time. */
  | 'ReadyTimeout'
  /** openssl failed while creating the cluster's certificates. */
  | 'CertificateFailed'
  /** Invalid options (e.g. an unknown tool or a name already in use). */
  | 'InvalidOptions';

export type HarnessFailureReason = BuildFailureReason | StartFailureReason;

export interface HarnessErrorDetails {
  /** The component (etcd, kube-apiserver, …) or tool that failed, if any. */
  component?: string;
  /** Path of the component's (or build's) log file. */
  logFile?: string;
  /** The last lines of that log. */
  logTail?: string;
  cause?: unknown;
}

export class ClusterHarnessError extends Error {
  readonly reason: HarnessFailureReason;
  readonly component: string | undefined;
  readonly logFile: string | undefined;
  readonly logTail: string | undefined;

  constructor(reason: HarnessFailureReason, message: string, details: HarnessErrorDetails = {}) {
    let full = `[${reason}] ${message}`;
    if (details.logFile) full += `\n  log: ${details.logFile}`;
    if (details.logTail) {
      full += `\n  --- last lines of ${details.component ?? 'the'} log ---\n${indent(details.logTail)}`;
    }
    super(full, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.reason = reason;
    this.component = details.component;
    this.logFile = details.logFile;
    this.logTail = details.logTail;
  }
}

/** Building or locating the pinned binaries failed. */
export class ToolBuildError extends ClusterHarnessError {
  declare readonly reason: BuildFailureReason;
  constructor(reason: BuildFailureReason, message: string, details: HarnessErrorDetails = {}) {
    super(reason, message, details);
  }
}

/** Starting a cluster failed. */
export class ClusterStartError extends ClusterHarnessError {
  declare readonly reason: StartFailureReason;
  /** Name of the cluster that failed to start. */
  readonly cluster: string;
  constructor(reason: StartFailureReason, cluster: string, message: string, details: HarnessErrorDetails = {}) {
    super(reason, `cluster ${cluster}: ${message}`, details);
    this.cluster = cluster;
  }
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  | ${line}`)
    .join('\n');
}
