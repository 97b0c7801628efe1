import type { HealthCheck } from './health.types.js';
import { health, list, str } from './object-fields.js';

/** Service: only a LoadBalancer waits for something (its external address); every other type is ready once it exists. */
export const serviceHealth: HealthCheck = {
  kinds: [{ group: '', kind: 'Service' }],
  assess(obj) {
    if (str(obj, 'spec', 'type') !== 'LoadBalancer') return health('Healthy');
    if (list(obj, 'status', 'loadBalancer', 'ingress').length > 0) return health('Healthy', 'Load balancer provisioned');
    return health('Progressing', 'Waiting for the load balancer to be provisioned');
  },
};
