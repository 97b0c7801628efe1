import type { HealthCheck } from './health.types.js';
import { describe, findCondition, health } from './object-fields.js';

/**
 * APIService: the aggregator's Available condition. False is Progressing, not
 * Degraded, as in Argo CD: a new aggregated API server reports
 * MissingEndpoints or FailedDiscoveryCheck until its pods are up, and we cannot
 * tell that from one that will never come up.
 */
export const apiServiceHealth: HealthCheck = {
  kinds: [{ group: 'apiregistration.k8s.io', kind: 'APIService' }],
  assess(obj) {
    const available = findCondition(obj, 'Available');
    if (available?.status === 'True') return health('Healthy', describe(available));
    if (available) return health('Progressing', describe(available) || 'APIService is not available');
    return health('Progressing', 'Waiting for the APIService to be checked');
  },
};
