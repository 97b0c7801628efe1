import { DeploymentState, type DeploymentStatus, type ResourceStatus } from '@flotilla/proto';
import { worstState } from '@flotilla/core';
import type { DriftResult } from '../drift/index.js';
import type { FailureReason } from '../errors.js';
import type { HealthResult } from '../health/index.js';
import { describeRef, type ObjectRef } from '../kube/object-ref.js';

/** What the agent knows about one object of a deployment. */
export interface ObjectResult {
  ref: ObjectRef;
  /** Why the object could not be applied (or was refused). */
  applyError?: { reason: FailureReason; message: string };
  /** Undefined until the object was first checked. */
  health?: HealthResult;
  drift?: DriftResult;
  /** Why drift could not be checked (drift is then unknown, not "none"). */
  checkError?: string;
}

/** A failure of the deployment as a whole (content, plan, prune, empty guard). */
export interface DeploymentFailure {
  reason: FailureReason;
  message: string;
  /** Transient (e.g. hub unreachable): WaitApplied rather than ErrApplied. */
  waiting?: boolean;
}

/** The hub refuses more than 100 diffs per resource (REPORT_LIMITS.diffsPerResource). */
const MAX_DIFFS = 50;
/** The hub truncates longer messages (REPORT_LIMITS.message). */
const MAX_MESSAGE = 4000;
/**
 * Diff values longer than this are cut before they are sent: one drifted
 * 1 MiB ConfigMap value must not push a report past the hub's 16 MiB message
 * limit (the hub keeps 4,096 characters of a value at most anyway).
 */
const MAX_DIFF_VALUE = 4000;

function clip(text: string): string {
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE - 1)}…` : text;
}

/**
 * A diff value (JSON text) cut to at most MAX_DIFF_VALUE characters, still
 * JSON: a string with the start of the value and its length. JSON text has
 * no raw control characters, so escaping it at most doubles its length (a
 * cut surrogate pair adds 4 more).
 */
function clipValue(json: string): string {
  if (json.length <= MAX_DIFF_VALUE) return json;
  const suffix = `… (truncated, ${json.length} characters)`;
  return JSON.stringify(`${json.slice(0, Math.floor((MAX_DIFF_VALUE - suffix.length - 8) / 2))}${suffix}`);
}

/** The reported status of one object. */
export function resourceStatus(result: ObjectResult): ResourceStatus {
  const status = rawResourceStatus(result);
  return { ...status, message: clip(status.message) };
}

function rawResourceStatus(result: ObjectResult): ResourceStatus {
  const { ref } = result;
  const base = { apiVersion: ref.apiVersion, kind: ref.kind, namespace: ref.namespace, name: ref.name, diffs: [] };
  if (result.applyError) return { ...base, state: DeploymentState.DEPLOYMENT_STATE_ERR_APPLIED, message: result.applyError.message };
  if (result.drift?.drifted) {
    const diffs = result.drift.diffs.slice(0, MAX_DIFFS).map((d) => ({ path: d.path, desired: clipValue(d.desired), live: clipValue(d.live) }));
    const deleted = diffs.some((d) => d.path === '' && d.live === '');
    const what = deleted ? 'deleted from the cluster' : `changed in the cluster: ${diffs.map((d) => d.path).join(', ')}`;
    // E.g. why a correction was postponed.
    const message = result.checkError ? `${what}; ${result.checkError}` : what;
    return { ...base, state: DeploymentState.DEPLOYMENT_STATE_MODIFIED, message, diffs };
  }
  if (!result.health) return { ...base, state: DeploymentState.DEPLOYMENT_STATE_PENDING, message: 'not checked yet' };
  const { status, message } = result.health;
  const ready = status === 'Healthy' || status === 'Suspended';
  const text = [status === 'Healthy' ? '' : status, message, result.checkError ? `drift unknown: ${result.checkError}` : '']
    .filter(Boolean)
    .join(': ');
  return { ...base, state: ready ? DeploymentState.DEPLOYMENT_STATE_READY : DeploymentState.DEPLOYMENT_STATE_NOT_READY, message: text };
}

/**
 * The status of a deployment: a deployment-level failure wins; otherwise the
 * worst object state (`worstState` of @flotilla/core, Fleet's order), with
 * a reason and a message naming the first object in that state.
 */
export function deploymentStatus(
  deploymentId: string,
  appliedRevision: string,
  failure: DeploymentFailure | undefined,
  results: ObjectResult[],
): DeploymentStatus {
  const status = rawDeploymentStatus(deploymentId, appliedRevision, failure, results);
  return { ...status, message: clip(status.message) };
}

function rawDeploymentStatus(
  deploymentId: string,
  appliedRevision: string,
  failure: DeploymentFailure | undefined,
  results: ObjectResult[],
): DeploymentStatus {
  const resources = results.map(resourceStatus);
  const base = { deploymentId, appliedRevision, resources };
  if (failure) {
    const state = failure.waiting ? DeploymentState.DEPLOYMENT_STATE_WAIT_APPLIED : DeploymentState.DEPLOYMENT_STATE_ERR_APPLIED;
    return { ...base, state, reason: failure.reason, message: failure.message };
  }
  const worst = worstState(resources.map((r) => r.state));
  const inState = resources.map((r, i) => ({ r, result: results[i]! })).filter(({ r }) => r.state === worst);
  const first = inState[0];
  const count = inState.length > 1 ? ` (and ${inState.length - 1} more)` : '';
  const named = first ? `${describeRef(first.result.ref)}: ${first.r.message}${count}` : '';
  switch (worst) {
    case DeploymentState.DEPLOYMENT_STATE_ERR_APPLIED:
      return { ...base, state: worst, reason: first?.result.applyError?.reason ?? 'ApplyFailed', message: named };
    case DeploymentState.DEPLOYMENT_STATE_MODIFIED:
      return { ...base, state: worst, reason: 'Drifted', message: named };
    case DeploymentState.DEPLOYMENT_STATE_PENDING:
      return { ...base, state: worst, reason: 'Checking', message: named };
    case DeploymentState.DEPLOYMENT_STATE_NOT_READY:
      return { ...base, state: worst, reason: 'NotHealthy', message: named };
    default:
      return { ...base, state: DeploymentState.DEPLOYMENT_STATE_READY, reason: 'Ready', message: `${resources.length} objects ready` };
  }
}
