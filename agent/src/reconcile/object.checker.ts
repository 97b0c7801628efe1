import type { KubernetesObject } from '@kubernetes/client-node';
import type { DeploymentAssignment, IgnoredCondition } from '@flotilla/proto';
import { Applier } from '../apply/applier.js';
import { objectPath } from '../apply/discovery.js';
import type { DryRunApplier } from '../drift/index.js';
import { messageOf } from '../errors.js';
import { assessHealth, withoutIgnoredConditions } from '../health/index.js';
import { getIfExists } from '../kube/get-if-exists.js';
import { describeRef } from '../kube/object-ref.js';
import type { Logger } from '../log/logger.js';
import type { PlannedObject } from '../plan/plan.js';
import type { ObjectResult } from '../report/deployment-status.js';
import type { ReconcileContext } from './context.js';
import type { DriftCorrectionPolicy } from './drift-correction.policy.js';
import { checkObject } from './object-check.js';

export type CheckResult = Pick<ObjectResult, 'health' | 'drift' | 'checkError'>;

export interface CheckOutcome {
  result: CheckResult;
  /** Version of the object the result is about (undefined when it could not be read). */
  resourceVersion: string | undefined;
  /** The policy postponed a correction: check the object again after this long. */
  recheckInMs?: number;
}

export interface ObjectCheckerDeps {
  ctx: ReconcileContext;
  driftApi: DryRunApplier;
  bundleName: string;
  logger: Logger;
  corrections: DriftCorrectionPolicy;
}

/**
 * Health and drift of one object of a deployment, and the drift correction
 * the policy allows. Holds no state of its own: the controller keeps the
 * results and decides when to check.
 */
export class ObjectChecker {
  constructor(private readonly deps: ObjectCheckerDeps) {}

  async check(
    planned: PlannedObject,
    readLive: () => Promise<KubernetesObject | undefined>,
    options: DeploymentAssignment['options'],
    previous: CheckResult | undefined,
  ): Promise<CheckOutcome> {
    let live: KubernetesObject | undefined;
    try {
      live = await readLive();
    } catch (error) {
      // Keep the last known drift: a failed read says nothing new about it.
      return { result: { ...previous, health: { status: 'Unknown', message: `cannot read the object: ${messageOf(error)}` } }, resourceVersion: undefined };
    }
    const comparePatches = options?.comparePatches ?? [];
    const ignored = options?.ignoreConditions ?? [];
    let result: CheckResult = await checkObject(this.deps.driftApi, planned, live, comparePatches, ignored);
    if (result.drift?.drifted && live !== undefined) {
      // A watch event can be older than the object the dry-run merged into
      // (e.g. the Deployment controller annotated it in between), which shows
      // up as drift in fields we do not own. Confirm against a fresh read.
      const fresh = await this.read(planned).catch(() => live);
      if (fresh?.metadata?.resourceVersion !== live.metadata?.resourceVersion) {
        live = fresh;
        result = await checkObject(this.deps.driftApi, planned, live, comparePatches, ignored);
      }
    }
    const resourceVersion = live?.metadata?.resourceVersion;
    const decision = this.deps.corrections.decide(planned.key, result.drift, options?.correctDrift, Date.now());
    if (decision.action === 'postpone') return { result: { ...result, checkError: decision.message }, resourceVersion, recheckInMs: decision.waitMs };
    if (decision.action === 'leave') return { result, resourceVersion };
    return this.correct(planned, result, resourceVersion, ignored);
  }

  /** Applies `planned` again over drift the policy allowed correcting. */
  private async correct(planned: PlannedObject, result: CheckResult, resourceVersion: string | undefined, ignored: readonly IgnoredCondition[]): Promise<CheckOutcome> {
    const { ctx, bundleName, logger, corrections } = this.deps;
    const outcome = await new Applier(ctx.kube, ctx.discovery, bundleName).applyObject(planned);
    if (!outcome.ok) {
      logger.warn('drift correction failed', { object: describeRef(planned.ref), error: outcome.error.message });
      return { result: { ...result, checkError: `correcting drift failed: ${outcome.error.message}` }, resourceVersion };
    }
    corrections.corrected(planned.key, Date.now());
    logger.info('corrected drift', { object: describeRef(planned.ref), fields: result.drift!.diffs.map((d) => d.path).slice(0, 10) });
    return { result: { health: assessHealth(withoutIgnoredConditions(outcome.live, ignored)), drift: { drifted: false, diffs: [] } }, resourceVersion: outcome.live.metadata?.resourceVersion };
  }

  /** The live object, or undefined when it (or its kind) does not exist. */
  async read(planned: PlannedObject): Promise<KubernetesObject | undefined> {
    const { kube, discovery } = this.deps.ctx;
    const info = await discovery.lookup(planned.ref.apiVersion, planned.ref.kind).catch(() => undefined);
    if (!info) return undefined;
    return getIfExists(kube, objectPath(planned.ref, info));
  }
}
