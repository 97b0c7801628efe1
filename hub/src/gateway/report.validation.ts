import type { DeploymentStatus, ReportStatusRequest, ResourceStatus } from '@flotilla/proto';
import { isRevision, REVISION_FORMAT, stateName } from '@flotilla/core';
import { DomainError } from '../platform/errors/domain-error.js';
import { REPORT_LIMITS } from '../status/report.limits.js';

export { REPORT_LIMITS } from '../status/report.limits.js';

/**
 * Rejects a malformed or oversized status report with the offending field
 * named (`ValidationFailed`, INVALID_ARGUMENT), before anything is stored.
 * Limits and why: `status/report.limits.ts`. A NUL character is refused in
 * every string: PostgreSQL cannot store it in text or JSONB, and it used to
 * surface as an INTERNAL error with a stack trace in the hub's log.
 * Duplicate deployment ids are refused rather than merged: the agent reports
 * each deployment once per call, so copies only come from a broken or
 * hostile client (1,000 copies of one cost the hub 220 MB).
 */
export function validateReport(request: ReportStatusRequest): void {
  const { deployments } = request;
  if (deployments.length > REPORT_LIMITS.deployments) {
    bad(`at most ${REPORT_LIMITS.deployments} deployments per report (got ${deployments.length})`, 'deployments');
  }
  const seen = new Map<string, number>();
  deployments.forEach((d, i) => {
    const at = `deployments[${i}]`;
    validateDeployment(d, at);
    const first = seen.get(d.deploymentId);
    if (first !== undefined) {
      bad(`deployment_id ${d.deploymentId} is reported twice (first at deployments[${first}]); report each deployment once`, `${at}.deployment_id`);
    }
    seen.set(d.deploymentId, i);
  });
}

/** Rejects an agent version (Watch, Heartbeat) that could not be stored or shown. */
export function validateAgentVersion(version: string, field = 'agent_version'): void {
  text(version, field, REPORT_LIMITS.agentVersion);
}

function validateDeployment(d: DeploymentStatus, at: string): void {
  text(d.deploymentId, `${at}.deployment_id`, REPORT_LIMITS.deploymentId);
  if (!d.deploymentId) bad('deployment_id is required', `${at}.deployment_id`);
  if (stateName(d.state) === undefined) bad(`state ${d.state} is not a known DeploymentState`, `${at}.state`);
  text(d.reason, `${at}.reason`, REPORT_LIMITS.reason);
  text(d.appliedRevision, `${at}.applied_revision`);
  if (d.appliedRevision !== '' && !isRevision(d.appliedRevision)) {
    bad(`applied_revision must be empty or ${REVISION_FORMAT}, got ${JSON.stringify(d.appliedRevision.slice(0, 80))}`, `${at}.applied_revision`);
  }
  // Messages are truncated on ingest (status/stored-report.ts), not refused.
  text(d.message, `${at}.message`);
  if (d.resources.length > REPORT_LIMITS.resourcesPerDeployment) {
    bad(`at most ${REPORT_LIMITS.resourcesPerDeployment} resources per deployment (got ${d.resources.length})`, `${at}.resources`);
  }
  d.resources.forEach((r, j) => validateResource(r, `${at}.resources[${j}]`));
}

function validateResource(r: ResourceStatus, at: string): void {
  for (const key of ['apiVersion', 'kind', 'namespace', 'name'] as const) {
    text(r[key], `${at}.${key === 'apiVersion' ? 'api_version' : key}`, REPORT_LIMITS.objectField);
  }
  text(r.message, `${at}.message`);
  if (r.diffs.length > REPORT_LIMITS.diffsPerResource) {
    bad(`at most ${REPORT_LIMITS.diffsPerResource} diffs per resource (got ${r.diffs.length})`, `${at}.diffs`);
  }
  r.diffs.forEach((d, k) => {
    text(d.path, `${at}.diffs[${k}].path`, REPORT_LIMITS.diffPath);
    // Diff values are truncated on ingest, not refused.
    text(d.desired, `${at}.diffs[${k}].desired`);
    text(d.live, `${at}.diffs[${k}].live`);
  });
}

/** A string the hub can store: no NUL character, and at most `max` characters when given. */
function text(value: string, field: string, max?: number): void {
  if (value.includes('\u0000')) bad(`${lastSegment(field)} contains a NUL character (\\u0000)`, field);
  if (max !== undefined && value.length > max) bad(`${lastSegment(field)} is longer than ${max} characters (${value.length})`, field);
}

function lastSegment(field: string): string {
  return field.slice(field.lastIndexOf('.') + 1);
}

function bad(message: string, field: string): never {
  throw new DomainError('ValidationFailed', message, { field });
}
