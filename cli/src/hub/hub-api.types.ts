import type { Labels } from '@flotilla/core';

/**
 * The hub's REST shapes the CLI reads (the hub's `*.api.ts` files, its OpenAPI
 * document at /openapi.json): only the fields the CLI uses.
 */

/** A cluster as GET /api/v1/clusters answers (hub/src/clusters/cluster.api.ts). */
export interface ClusterItem {
  id: string;
  name: string;
  labels: Labels;
  connection: 'pending' | 'online' | 'offline' | 'revoked';
  agentVersion: string;
  lastSeenAt: string | null;
  createdAt: string;
}

/** An API token as the hub lists it (hub/src/api/api-token.api.ts): never its secret. */
export interface TokenItem {
  id: string;
  name: string;
  role: 'admin' | 'readonly';
  createdAt: string;
  lastUsedAt: string | null;
  revoked: boolean;
}

/** A deployment's state (hub/src/status/status.api.ts; Fleet's states). */
export type DeploymentState = 'Ready' | 'NotReady' | 'Pending' | 'OutOfSync' | 'Modified' | 'WaitApplied' | 'ErrApplied';

/** One item of GET /api/v1/clusters/{id}/deployments. */
export interface DeploymentItem {
  deploymentId: string;
  bundleName: string;
  clusterId: string;
  clusterName: string;
  state: DeploymentState;
  reason: string;
  message: string;
  desiredRevision: string | null;
  appliedRevision: string | null;
  reportedAt: string | null;
}

/**
 * One field that differs: `path` a JSON pointer (`''` the whole object),
 * `desired` and `live` JSON text (`''` when absent on that side; Secret
 * values already redacted by the hub).
 */
export interface FieldDiff {
  path: string;
  desired: string;
  live: string;
}

/** One object of a deployment, as the agent last reported it. */
export interface ResourceStatus {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  state: DeploymentState;
  message: string;
  diffs: FieldDiff[];
}

/** GET /api/v1/deployments/{id}. */
export interface DeploymentDetail extends DeploymentItem {
  resources: ResourceStatus[];
}
