import { createHash } from 'node:crypto';
import { redactSecretDiffs } from '@flotilla/core';
import type { DeploymentStatus as ProtoStatus, FieldDiff } from '@flotilla/proto';
import type { DeploymentState } from '../generated/prisma/client.js';
import { FROM_PROTO, reportedState } from './deployment-state.js';
import { REPORT_LIMITS } from './report.limits.js';
import { clipJson, clipText } from './report-text.js';

/** A deployment's status as stored, with the hash that tells whether a report changes it. */
export interface StoredReport {
  appliedRevision: string;
  state: DeploymentState;
  reason: string;
  message: string;
  /** ResourceStatus[] as JSON text. */
  resources: string;
  /** sha256 over every field above. */
  hash: string;
}

/**
 * What an agent's report of one deployment stores (pure), from a report that
 * passed `validateReport`: Secret values redacted whatever the agent sent
 * (issue #9; an old agent sends them in clear), messages and diff values
 * truncated to `REPORT_LIMITS`.
 */
export function storedReport(desiredRevision: string, r: ProtoStatus): StoredReport {
  const resources = JSON.stringify(
    r.resources.map((res) => ({
      apiVersion: res.apiVersion,
      kind: res.kind,
      namespace: res.namespace,
      name: res.name,
      state: FROM_PROTO[res.state] ?? 'Pending',
      message: clipText(res.message, REPORT_LIMITS.resourceMessage),
      diffs: storedDiffs(res.kind, res.diffs),
    })),
  );
  const state = reportedState(desiredRevision, r.appliedRevision, FROM_PROTO[r.state] ?? 'Pending');
  const message = clipText(r.message, REPORT_LIMITS.message);
  const hash = createHash('sha256')
    .update(JSON.stringify([r.appliedRevision, state, r.reason, message, resources]))
    .digest('base64url');
  return { appliedRevision: r.appliedRevision, state, reason: r.reason, message, resources, hash };
}

function storedDiffs(kind: string, diffs: readonly FieldDiff[]): FieldDiff[] {
  return redactSecretDiffs(kind, diffs).map((d) => ({
    path: d.path,
    desired: clipJson(d.desired, REPORT_LIMITS.diffValue),
    live: clipJson(d.live, REPORT_LIMITS.diffValue),
  }));
}
