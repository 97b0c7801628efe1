import { createHash } from 'node:crypto';
import type { DeploymentStatus as ProtoStatus } from '@flotilla/proto';
import type { DeploymentState } from '../generated/prisma/client.js';
import { FROM_PROTO, reportedState } from './deployment-state.js';

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

/** What an agent's report of one deployment stores (pure). */
export function storedReport(desiredRevision: string, r: ProtoStatus): StoredReport {
  const resources = JSON.stringify(
    r.resources.map((res) => ({
      apiVersion: res.apiVersion,
      kind: res.kind,
      namespace: res.namespace,
      name: res.name,
      state: FROM_PROTO[res.state] ?? 'Pending',
      message: res.message,
      diffs: res.diffs.map((d) => ({ path: d.path, desired: d.desired, live: d.live })),
    })),
  );
  const state = reportedState(desiredRevision, r.appliedRevision, FROM_PROTO[r.state] ?? 'Pending');
  const hash = createHash('sha256')
    .update(JSON.stringify([r.appliedRevision, state, r.reason, r.message, resources]))
    .digest('base64url');
  return { appliedRevision: r.appliedRevision, state, reason: r.reason, message: r.message, resources, hash };
}
