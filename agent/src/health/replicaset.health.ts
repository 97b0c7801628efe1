import type { HealthCheck } from './health.types.js';
import { findCondition, generationObserved, health, num } from './object-fields.js';

/** ReplicaSet: ReplicaFailure (e.g. quota exceeded) degrades it, otherwise available against desired replicas. */
export const replicaSetHealth: HealthCheck = {
  kinds: [{ group: 'apps', kind: 'ReplicaSet' }],
  assess(obj) {
    if (!generationObserved(obj)) {
      return health('Progressing', 'Waiting for the replicaset controller to observe the latest spec');
    }
    const failure = findCondition(obj, 'ReplicaFailure');
    if (failure?.status === 'True') return health('Degraded', failure.message || 'Replica failure');
    const replicas = num(obj, 'spec', 'replicas') ?? 1;
    const available = num(obj, 'status', 'availableReplicas') ?? 0;
    if (available < replicas) return health('Progressing', `Waiting for pods: ${available} of ${replicas} available`);
    return health('Healthy', `${available} of ${replicas} replicas available`);
  },
};
