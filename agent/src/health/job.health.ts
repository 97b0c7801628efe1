import type { HealthCheck } from './health.types.js';
import { field, findCondition, health, num } from './object-fields.js';

/**
 * Job: the terminal conditions decide (Complete, Failed). `FailureTarget` is
 * set (Kubernetes 1.31+) as soon as the Job is bound to fail, while its pods
 * are still being terminated, so it already counts as Degraded.
 */
export const jobHealth: HealthCheck = {
  kinds: [{ group: 'batch', kind: 'Job' }],
  assess(obj) {
    const isTrue = (type: string) => {
      const c = findCondition(obj, type);
      return c?.status === 'True' ? c : undefined;
    };
    const failed = isTrue('Failed') ?? isTrue('FailureTarget');
    if (failed) return health('Degraded', failed.message || failed.reason || 'Job failed');
    const complete = isTrue('Complete');
    if (complete) return health('Healthy', complete.message || 'Job completed');
    if (field(obj, 'spec', 'suspend') === true || isTrue('Suspended')) return health('Suspended', 'Job is suspended');
    const active = num(obj, 'status', 'active') ?? 0;
    const succeeded = num(obj, 'status', 'succeeded') ?? 0;
    const completions = num(obj, 'spec', 'completions');
    const target = completions === undefined ? '' : ` of ${completions}`;
    return health('Progressing', `${active} active, ${succeeded}${target} succeeded`);
  },
};
