import type { HealthCheck } from './health.types.js';
import { health, list } from './object-fields.js';

/**
 * Ingress: healthy once an ingress controller has published an address. On a
 * cluster without a controller that never happens and the Ingress stays
 * Progressing, as in Argo CD.
 */
export const ingressHealth: HealthCheck = {
  kinds: [{ group: 'networking.k8s.io', kind: 'Ingress' }],
  assess(obj) {
    if (list(obj, 'status', 'loadBalancer', 'ingress').length > 0) return health('Healthy', 'Address assigned');
    return health('Progressing', 'Waiting for an ingress controller to assign an address');
  },
};
