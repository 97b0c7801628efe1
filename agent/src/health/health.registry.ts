import type { KubernetesObject } from '@kubernetes/client-node';
import { apiServiceHealth } from './apiservice.health.js';
import { crdHealth } from './crd.health.js';
import { daemonSetHealth } from './daemonset.health.js';
import { deploymentHealth } from './deployment.health.js';
import { genericHealth } from './generic.health.js';
import { HEALTH_ORDER, type HealthCheck, type HealthResult } from './health.types.js';
import { ingressHealth } from './ingress.health.js';
import { jobHealth } from './job.health.js';
import { namespaceHealth } from './namespace.health.js';
import { field, health } from './object-fields.js';
import { podHealth } from './pod.health.js';
import { pvcHealth } from './pvc.health.js';
import { replicaSetHealth } from './replicaset.health.js';
import { serviceHealth } from './service.health.js';
import { statefulSetHealth } from './statefulset.health.js';

/** Every kind-specific check; kinds not listed here get {@link genericHealth}. */
export const HEALTH_CHECKS: readonly HealthCheck[] = [
  deploymentHealth,
  statefulSetHealth,
  daemonSetHealth,
  replicaSetHealth,
  jobHealth,
  podHealth,
  pvcHealth,
  serviceHealth,
  ingressHealth,
  crdHealth,
  namespaceHealth,
  apiServiceHealth,
];

const byGroupKind = new Map<string, HealthCheck>(
  HEALTH_CHECKS.flatMap((check) => check.kinds.map((gk) => [`${gk.group}/${gk.kind}`, check] as const)),
);

/** The API group of an apiVersion: `apps/v1` → `apps`, `v1` → `''` (core). */
export function groupOf(apiVersion: string | undefined): string {
  const slash = apiVersion?.indexOf('/') ?? -1;
  return slash < 0 ? '' : (apiVersion ?? '').slice(0, slash);
}

/** The check for a kind: the dedicated one if there is one, else the generic, conditions-based one. */
export function healthCheckFor(group: string, kind: string): HealthCheck {
  return byGroupKind.get(`${group}/${kind}`) ?? genericHealth;
}

/**
 * Assesses the health of a live object.
 *
 * @param obj the live object (plain JSON or a typed `@kubernetes/client-node`
 *   model); `undefined` when it does not exist in the cluster.
 * @returns `Missing` for `undefined`; `Progressing` for an object being
 *   deleted (it has a deletionTimestamp, so it is going away whatever its
 *   status says); `Unknown` with the error message when a check throws;
 *   otherwise what the kind's check says.
 */
export function assessHealth(obj: KubernetesObject | undefined): HealthResult {
  if (obj === undefined) return health('Missing', 'Object does not exist');
  const deletion = field(obj, 'metadata', 'deletionTimestamp');
  if (deletion !== undefined && deletion !== null) return health('Progressing', 'Pending deletion');
  try {
    return healthCheckFor(groupOf(obj.apiVersion), obj.kind ?? '').assess(obj);
  } catch (err) {
    return health('Unknown', `Health check failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Rank of a status in {@link HEALTH_ORDER}: higher is worse. */
export function healthRank(result: HealthResult): number {
  return HEALTH_ORDER.indexOf(result.status);
}

/**
 * The worst of several results (see {@link HEALTH_ORDER}); the first one wins
 * a tie, so callers control which message is reported. An empty list is
 * `Healthy`: nothing is wrong with no objects.
 */
export function worstHealth(results: readonly HealthResult[]): HealthResult {
  let worst: HealthResult = health('Healthy');
  for (const result of results) if (healthRank(result) > healthRank(worst)) worst = result;
  return worst;
}
