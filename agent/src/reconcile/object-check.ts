import type { KubernetesObject } from '@kubernetes/client-node';
import type { ComparePatch, IgnoredCondition } from '@flotilla/proto';
import { detectDrift, type DryRunApplier } from '../drift/index.js';
import { messageOf } from '../errors.js';
import { assessHealth, withoutIgnoredConditions } from '../health/index.js';
import type { ObjectResult } from '../report/deployment-status.js';
import type { PlannedObject } from '../plan/plan.js';

/** Health (without the ignored conditions) and drift of one applied object against its live state (`undefined`: it does not exist). */
export async function checkObject(
  api: DryRunApplier,
  planned: PlannedObject,
  live: KubernetesObject | undefined,
  rules: ComparePatch[],
  ignoredConditions: readonly IgnoredCondition[] = [],
): Promise<Pick<ObjectResult, 'health' | 'drift' | 'checkError'>> {
  const health = live ? assessHealth(withoutIgnoredConditions(live, ignoredConditions)) : { status: 'Missing' as const, message: 'the object does not exist' };
  try {
    return { health, drift: await detectDrift(api, planned.object, live, rules) };
  } catch (error) {
    return { health, checkError: messageOf(error) };
  }
}
