import type { KubernetesObject } from '@kubernetes/client-node';

/**
 * Health of one live object, in the vocabulary Argo CD's gitops-engine made
 * common:
 *
 * - `Healthy`: the object is what its spec asks for.
 * - `Suspended`: paused on purpose (a paused Deployment, a suspended Job).
 * - `Progressing`: not there yet, but still expected to get there.
 * - `Unknown`: the status could not be assessed (malformed object, a check failed).
 * - `Missing`: the object does not exist in the cluster.
 * - `Degraded`: failed, or will not get there without someone acting.
 */
export type HealthStatus = 'Healthy' | 'Progressing' | 'Degraded' | 'Suspended' | 'Missing' | 'Unknown';

/**
 * Statuses from best to worst, used by worst-of aggregation.
 *
 * `Missing` ranks worse than `Progressing` because nothing will make a missing
 * object appear by itself, and `Degraded` ranks worst because it is a known
 * failure. `Unknown` sits between `Progressing` and `Missing`: we could not
 * tell, so it must not hide a rollout in progress, but it must not outrank a
 * failure we do know about either (Argo CD ranks it last; we prefer to report
 * the failure that someone can act on).
 */
export const HEALTH_ORDER: readonly HealthStatus[] = [
  'Healthy',
  'Suspended',
  'Progressing',
  'Unknown',
  'Missing',
  'Degraded',
];

/** The assessed health of an object, with a message a person can act on (may be empty). */
export interface HealthResult {
  status: HealthStatus;
  message: string;
}

/** A Kubernetes kind, identified by API group (`''` for the core group) and kind. */
export interface GroupKind {
  group: string;
  kind: string;
}

/**
 * Health assessment for one or more kinds. Implementations are pure: they look
 * only at the object they are given (spec, metadata and status), never at the
 * cluster.
 */
export interface HealthCheck {
  /** The kinds this check assesses; the registry dispatches on these. */
  kinds: GroupKind[];
  /**
   * Assesses a live object of one of {@link HealthCheck.kinds}. The object may be
   * a plain JSON object or a typed model from `@kubernetes/client-node`. May throw
   * on a malformed object; the registry turns that into `Unknown`.
   */
  assess(obj: KubernetesObject): HealthResult;
}
