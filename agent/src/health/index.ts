/** Health assessment of live objects: one check per kind, a registry, and worst-of aggregation. */
export type { GroupKind, HealthCheck, HealthResult, HealthStatus } from './health.types.js';
export { HEALTH_ORDER } from './health.types.js';
export { withoutIgnoredConditions, type IgnoredCondition } from './ignored-conditions.js';
export { HEALTH_CHECKS, assessHealth, groupOf, healthCheckFor, healthRank, worstHealth } from './health.registry.js';
export { apiServiceHealth } from './apiservice.health.js';
export { crdHealth } from './crd.health.js';
export { daemonSetHealth } from './daemonset.health.js';
export { deploymentHealth } from './deployment.health.js';
export { genericHealth } from './generic.health.js';
export { ingressHealth } from './ingress.health.js';
export { jobHealth } from './job.health.js';
export { namespaceHealth } from './namespace.health.js';
export { podHealth } from './pod.health.js';
export { pvcHealth } from './pvc.health.js';
export { replicaSetHealth } from './replicaset.health.js';
export { serviceHealth } from './service.health.js';
export { statefulSetHealth } from './statefulset.health.js';
