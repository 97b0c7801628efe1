import type { HealthCheck } from './health.types.js';
import { generationObserved, health, num, str } from './object-fields.js';

/** DaemonSet: scheduled, updated and available pods against the desired number (kubectl rollout status). */
export const daemonSetHealth: HealthCheck = {
  kinds: [{ group: 'apps', kind: 'DaemonSet' }],
  assess(obj) {
    if (!generationObserved(obj)) {
      return health('Progressing', 'Waiting for the daemonset controller to observe the latest spec');
    }
    const desired = num(obj, 'status', 'desiredNumberScheduled') ?? 0;
    const updated = num(obj, 'status', 'updatedNumberScheduled') ?? 0;
    const available = num(obj, 'status', 'numberAvailable') ?? 0;
    // As with StatefulSets, OnDelete pods are only replaced by hand; waiting
    // for them would never end.
    if (str(obj, 'spec', 'updateStrategy', 'type') === 'OnDelete') {
      return health('Healthy', `${updated} of ${desired} pods updated (OnDelete)`);
    }
    if (updated < desired) return health('Progressing', `Waiting for rollout: ${updated} of ${desired} pods updated`);
    if (available < desired) return health('Progressing', `Waiting for rollout: ${available} of ${desired} pods available`);
    return health('Healthy', `${available} of ${desired} pods available`);
  },
};
