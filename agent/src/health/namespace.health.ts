import type { HealthCheck } from './health.types.js';
import { health, str } from './object-fields.js';

/** Namespace: Active, or Terminating while its content is being deleted. */
export const namespaceHealth: HealthCheck = {
  kinds: [{ group: '', kind: 'Namespace' }],
  assess(obj) {
    const phase = str(obj, 'status', 'phase');
    if (phase === 'Active') return health('Healthy');
    if (phase === 'Terminating') return health('Progressing', 'Namespace is terminating');
    return health('Progressing', 'Waiting for the namespace to become active');
  },
};
