import type { HealthCheck } from './health.types.js';
import { generationObserved, health, num, str } from './object-fields.js';

/**
 * StatefulSet: the controller sets no useful conditions, so health comes from
 * replica counts and revisions (kubectl rollout status, gitops-engine, kstatus).
 */
export const statefulSetHealth: HealthCheck = {
  kinds: [{ group: 'apps', kind: 'StatefulSet' }],
  assess(obj) {
    if (!generationObserved(obj) || num(obj, 'status', 'observedGeneration') === undefined) {
      return health('Progressing', 'Waiting for the statefulset controller to observe the latest spec');
    }
    const replicas = num(obj, 'spec', 'replicas') ?? 1;
    const ready = num(obj, 'status', 'readyReplicas') ?? 0;
    const updated = num(obj, 'status', 'updatedReplicas') ?? 0;
    if (ready < replicas) return health('Progressing', `Waiting for pods: ${ready} of ${replicas} ready`);

    const currentRevision = str(obj, 'status', 'currentRevision');
    const updateRevision = str(obj, 'status', 'updateRevision');
    // With OnDelete the controller never replaces pods by itself, so waiting
    // for the new revision would report Progressing forever (argo-cd#6527 asks
    // for that, kstatus and gitops-engine report ready). Stay Healthy and say
    // what is left to do.
    if (str(obj, 'spec', 'updateStrategy', 'type') === 'OnDelete') {
      const message =
        updateRevision && currentRevision !== updateRevision
          ? `${ready} pods ready; ${replicas - updated} still run an older revision until they are deleted (OnDelete)`
          : `${ready} pods ready`;
      return health('Healthy', message);
    }
    // A partitioned rolling update only replaces ordinals >= partition, so the
    // revisions stay different by design once that part is done.
    const partition = num(obj, 'spec', 'updateStrategy', 'rollingUpdate', 'partition');
    if (partition !== undefined && partition > 0) {
      const target = Math.max(replicas - partition, 0);
      if (updated < target) {
        return health('Progressing', `Waiting for partitioned rollout: ${updated} of ${target} pods updated`);
      }
      return health('Healthy', `Partitioned rollout complete: ${updated} pods updated`);
    }
    if (currentRevision !== updateRevision) {
      return health('Progressing', `Waiting for rolling update: ${updated} of ${replicas} pods at revision ${updateRevision}`);
    }
    return health('Healthy', `${ready} pods ready at revision ${currentRevision}`);
  },
};
