import type { HealthCheck } from './health.types.js';
import { health, str } from './object-fields.js';

/**
 * PersistentVolumeClaim by phase. Pending is Progressing even though a claim
 * with WaitForFirstConsumer binding stays Pending until a pod uses it.
 */
export const pvcHealth: HealthCheck = {
  kinds: [{ group: '', kind: 'PersistentVolumeClaim' }],
  assess(obj) {
    const phase = str(obj, 'status', 'phase');
    switch (phase) {
      case 'Bound':
        return health('Healthy', `Bound to ${str(obj, 'spec', 'volumeName') ?? 'a volume'}`);
      case 'Pending':
      case undefined:
        return health('Progressing', 'Waiting for the claim to be bound');
      case 'Lost':
        return health('Degraded', 'The bound volume no longer exists');
      default:
        return health('Unknown', `Claim phase is ${phase}`);
    }
  },
};
