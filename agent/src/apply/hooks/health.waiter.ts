import type { KubernetesObject } from '@kubernetes/client-node';
import type { IgnoredCondition } from '@flotilla/proto';
import { sleep } from '../../connection/sleep.js';
import { messageOf } from '../../errors.js';
import type { HealthResult } from '../../health/index.js';
import { getIfExists } from '../../kube/get-if-exists.js';
import type { KubeClient } from '../../kube/kube-client.js';
import { mapLimit } from '../../kube/map-limit.js';
import type { PlannedObject } from '../../plan/plan.js';
import { objectPath, type Discovery } from '../discovery.js';
import { gateHealth, passesGate, type GatedObject } from './health-gate.js';

/** Reads in flight while polling the objects a gate waits for. */
const READ_CONCURRENCY = 8;

export interface HealthWaiterDeps {
  kube: KubeClient;
  discovery: Discovery;
  /** How long one wait may take (the hook timeout). */
  timeoutMs: number;
  /** How often objects that do not pass yet are read again. Default 1 s. */
  pollMs?: number;
  /** The bundle's ignored status conditions (fleet.yaml ignore.conditions). */
  ignoredConditions: readonly IgnoredCondition[];
}

/** An applied main object and its live state as the apply answered it. */
export interface AppliedObject {
  planned: PlannedObject;
  live: KubernetesObject | undefined;
}

/**
 * Waits until applied objects are healthy ({@link passesGate}), as Argo CD
 * does between sync waves and before PostSync hooks. The object the apply
 * returned is assessed first (most kinds are healthy at once); only the
 * objects that do not pass are read again, every `pollMs`, until the
 * timeout.
 */
export class HealthWaiter {
  private readonly pollMs: number;

  constructor(private readonly deps: HealthWaiterDeps) {
    this.pollMs = deps.pollMs ?? 1000;
  }

  /** Resolves with the objects that still did not pass when the timeout passed, in the given order (empty: all passed). */
  async wait(objects: readonly AppliedObject[]): Promise<GatedObject[]> {
    const deadline = Date.now() + this.deps.timeoutMs;
    let waiting = objects.map((o) => ({ planned: o.planned, health: gateHealth(o.live, this.deps.ignoredConditions) })).filter((o) => !passesGate(o.health));
    while (waiting.length > 0) {
      if (Date.now() >= deadline) return waiting.map((o) => ({ ref: o.planned.ref, health: o.health }));
      await sleep(Math.min(this.pollMs, Math.max(0, deadline - Date.now())));
      await mapLimit(waiting, READ_CONCURRENCY, async (o) => {
        o.health = await this.assess(o.planned);
      });
      waiting = waiting.filter((o) => !passesGate(o.health));
    }
    return [];
  }

  private async assess(planned: PlannedObject): Promise<HealthResult> {
    try {
      const info = await this.deps.discovery.lookup(planned.ref.apiVersion, planned.ref.kind);
      if (!info) return { status: 'Unknown', message: `the API server has no kind ${planned.ref.kind} in ${planned.ref.apiVersion}` };
      return gateHealth(await getIfExists(this.deps.kube, objectPath(planned.ref, info)), this.deps.ignoredConditions);
    } catch (error) {
      return { status: 'Unknown', message: `cannot read it: ${messageOf(error)}` };
    }
  }
}
