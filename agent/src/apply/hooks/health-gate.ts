import type { KubernetesObject } from '@kubernetes/client-node';
import type { IgnoredCondition } from '@flotilla/proto';
import { assessHealth, withoutIgnoredConditions, type HealthResult } from '../../health/index.js';
import { describeRef, type ObjectRef } from '../../kube/object-ref.js';

/** An object the gate waits for, and its health as last assessed. */
export interface GatedObject {
  ref: ObjectRef;
  health: HealthResult;
}

/** At most this many objects are named in a message; the rest are counted. */
const NAMED_IN_MESSAGE = 5;

/**
 * Whether an object lets a later wave or the PostSync hooks go on (pure):
 * Healthy, or Suspended (paused on purpose, as the spec asks: it will not
 * become Healthy by waiting). Argo CD waits for Healthy.
 */
export function passesGate(health: HealthResult): boolean {
  return health.status === 'Healthy' || health.status === 'Suspended';
}

/** Health of a live object (undefined: it does not exist), leaving the bundle's ignored conditions out (pure). */
export function gateHealth(live: KubernetesObject | undefined, ignored: readonly IgnoredCondition[]): HealthResult {
  return live === undefined ? { status: 'Missing', message: 'the object does not exist' } : assessHealth(withoutIgnoredConditions(live, ignored));
}

/** "Deployment shop/web (Progressing: …), … and 3 more": the objects that held the gate, for a failure message (pure). */
export function describeUnhealthy(objects: readonly GatedObject[]): string {
  const named = objects.slice(0, NAMED_IN_MESSAGE).map((o) => `${describeRef(o.ref)} (${o.health.status}${o.health.message ? `: ${o.health.message}` : ''})`);
  const more = objects.length - named.length;
  return `${named.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
}
