import type { HealthCheck, HealthResult } from './health.types.js';
import { type Condition, describe, findCondition, health, num } from './object-fields.js';

/** Reasons that say the controller gave up or hit an error (checked first, so `UpdateFailed` is a failure). */
const FAILURE_REASON = /fail|error|invalid|denied|forbidden|exceeded|crash|backoff|conflict|stalled/i;
/**
 * Reasons that say "not yet": gerunds (Progressing, Reconciling, Installing,
 * Provisioning, …) and the usual waiting words (Pending, InProgress,
 * DependencyNotReady, …).
 */
const IN_PROGRESS_REASON = /ing$|pending|wait|inprogress|notready|dependency|notyet/i;

/** Ready/Available=False: Progressing when the reason says "not yet", Degraded otherwise. */
function falseCondition(condition: Condition): HealthResult {
  const reason = condition.reason ?? '';
  const message = describe(condition) || `${condition.type} is False`;
  if (!FAILURE_REASON.test(reason) && IN_PROGRESS_REASON.test(reason)) return health('Progressing', message);
  return health('Degraded', message);
}

/**
 * Any kind without a dedicated check (custom resources, ConfigMaps, …),
 * following the Kubernetes API conventions and kstatus:
 *
 * 1. `status.observedGeneration` behind `metadata.generation` → Progressing.
 * 2. kstatus' abnormal-true conditions: `Stalled=True` → Degraded,
 *    `Reconciling=True` → Progressing.
 * 3. The `Ready` condition, else `Available`: True → Healthy, Unknown →
 *    Progressing, False → by reason (see {@link falseCondition}); a condition
 *    computed for an older generation → Progressing.
 * 4. No status to go by: existing is healthy.
 */
export const genericHealth: HealthCheck = {
  kinds: [],
  assess(obj) {
    const generation = num(obj, 'metadata', 'generation');
    const observed = num(obj, 'status', 'observedGeneration');
    if (generation !== undefined && observed !== undefined && observed < generation) {
      return health('Progressing', `Waiting for the controller to observe generation ${generation} (observed ${observed})`);
    }
    const stalled = findCondition(obj, 'Stalled');
    if (stalled?.status === 'True') return health('Degraded', describe(stalled) || 'Stalled');
    const reconciling = findCondition(obj, 'Reconciling');
    if (reconciling?.status === 'True') return health('Progressing', describe(reconciling) || 'Reconciling');

    const condition = findCondition(obj, 'Ready') ?? findCondition(obj, 'Available');
    if (!condition) return health('Healthy');
    if (generation !== undefined && condition.observedGeneration !== undefined && condition.observedGeneration < generation) {
      return health('Progressing', `${condition.type} condition is for generation ${condition.observedGeneration}, not ${generation}`);
    }
    if (condition.status === 'True') return health('Healthy', describe(condition));
    if (condition.status === 'False') return falseCondition(condition);
    return health('Progressing', describe(condition) || `${condition.type} is ${condition.status}`);
  },
};
