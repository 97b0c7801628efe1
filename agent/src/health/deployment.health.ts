import type { HealthCheck } from './health.types.js';
import { field, findCondition, generationObserved, health, num } from './object-fields.js';

/**
 * Deployment: the rollout logic of `kubectl rollout status`, as gitops-engine
 * and kstatus use it. Replica counts are only trusted once the controller has
 * observed the current generation; before that they describe the old spec.
 */
export const deploymentHealth: HealthCheck = {
  kinds: [{ group: 'apps', kind: 'Deployment' }],
  assess(obj) {
    if (field(obj, 'spec', 'paused') === true) return health('Suspended', 'Deployment is paused');
    if (!generationObserved(obj)) {
      return health('Progressing', 'Waiting for the deployment controller to observe the latest spec');
    }
    // The controller sets this reason once progressDeadlineSeconds passes
    // without progress; nothing else will get the rollout unstuck.
    const progressing = findCondition(obj, 'Progressing');
    if (progressing?.reason === 'ProgressDeadlineExceeded') {
      return health('Degraded', progressing.message || 'Deployment exceeded its progress deadline');
    }
    // spec.replicas defaults to 1 on the server; a live object always has it.
    const replicas = num(obj, 'spec', 'replicas') ?? 1;
    const updated = num(obj, 'status', 'updatedReplicas') ?? 0;
    const current = num(obj, 'status', 'replicas') ?? 0;
    const available = num(obj, 'status', 'availableReplicas') ?? 0;
    if (updated < replicas) {
      return health('Progressing', `Waiting for rollout: ${updated} of ${replicas} new replicas updated`);
    }
    if (current > updated) {
      return health('Progressing', `Waiting for rollout: ${current - updated} old replicas pending termination`);
    }
    if (available < updated) {
      return health('Progressing', `Waiting for rollout: ${available} of ${updated} updated replicas available`);
    }
    return health('Healthy', `${available} of ${replicas} replicas available`);
  },
};
