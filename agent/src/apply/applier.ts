import type { KubernetesObject } from '@kubernetes/client-node';
import { AgentError, messageOf } from '../errors.js';
import { KubeApiError } from '../kube/kube-api-error.js';
import type { KubeClient } from '../kube/kube-client.js';
import { BUNDLE_LABEL, describeRef, type ObjectRef } from '../kube/object-ref.js';
import { serverSideApply } from '../kube/server-side-apply.js';
import type { ApplyStep, PlannedObject } from '../plan/plan.js';
import { mapLimit } from '../kube/map-limit.js';
import { waitForEstablished } from './crd-established.js';
import { objectPath, type Discovery, type ResourceInfo } from './discovery.js';
import { findForeignOwners, type ForeignOwners } from './foreign-owners.js';

/** Requests in flight while applying one step. */
export const APPLY_CONCURRENCY = 16;

/** The result of applying one object: the live object, or why it failed. */
export type ApplyOutcome = { ok: true; live: KubernetesObject } | { ok: false; error: AgentError };

/**
 * Applies planned objects with server-side apply as `flotilla-agent`, forcing
 * ownership of the fields it sets (like Fleet and Argo CD): conflicts with
 * other managers on our own objects are resolved in Git's favour. What it
 * never does is take over an object that another bundle owns (its
 * `flotilla.dev/bundle` label names another bundle).
 */
export class Applier {
  constructor(
    private readonly kube: KubeClient,
    private readonly discovery: Discovery,
    private readonly bundleName: string,
  ) {}

  /**
   * Applies the steps in order; a failed object does not stop the others (so
   * one bad object does not hold back the rest of the revision). CRD steps
   * wait until their CRDs are Established and refresh discovery.
   */
  async applySteps(steps: ApplyStep[], onOutcome: (planned: PlannedObject, outcome: ApplyOutcome) => void): Promise<void> {
    for (const step of steps) {
      const established: { ref: ObjectRef; live: KubernetesObject }[] = [];
      // Objects of one step do not depend on each other (order between kinds
      // and waves is what the steps are for), so they go out concurrently:
      // a revision of hundreds of objects is bound by round trips, not by the
      // API server. The limit keeps us a polite client of a shared server.
      const { known, owners } = await this.prepare(step.objects, onOutcome);
      await mapLimit(known, APPLY_CONCURRENCY, async ({ planned, info }) => {
        const outcome = await this.applyKnown(planned, info, owners);
        if (step.waitForEstablished && outcome.ok) established.push({ ref: planned.ref, live: outcome.live });
        else onOutcome(planned, outcome);
      });
      if (!step.waitForEstablished) continue;
      for (const { ref, live } of established) {
        const planned = step.objects.find((p) => p.ref === ref)!;
        try {
          const versions = await waitForEstablished(this.kube, ref.name);
          for (const apiVersion of versions) this.discovery.invalidate(apiVersion);
          onOutcome(planned, { ok: true, live });
        } catch (error) {
          onOutcome(planned, { ok: false, error: new AgentError('ApplyFailed', messageOf(error), { cause: error, retryable: true }) });
        }
      }
    }
  }

  /** Applies one object after checking that no other bundle owns it. */
  async applyObject(planned: PlannedObject): Promise<ApplyOutcome> {
    let outcome: ApplyOutcome | undefined;
    const { known, owners } = await this.prepare([planned], (_, o) => (outcome = o));
    return outcome ?? this.applyKnown(planned, known[0]!.info, owners);
  }

  /**
   * Looks up how each object's kind is served (objects of unknown kinds fail
   * here) and which of them another bundle owns, in a few LISTs per step
   * rather than a GET per object.
   */
  private async prepare(objects: PlannedObject[], onOutcome: (planned: PlannedObject, outcome: ApplyOutcome) => void) {
    const known: { planned: PlannedObject; info: ResourceInfo }[] = [];
    for (const planned of objects) {
      const { ref } = planned;
      try {
        const info = await this.discovery.lookup(ref.apiVersion, ref.kind);
        if (info) known.push({ planned, info });
        else onOutcome(planned, fail('ApplyFailed', `${describeRef(ref)}: the API server has no kind ${ref.kind} in ${ref.apiVersion} (is its CRD installed?)`, true));
      } catch (error) {
        onOutcome(planned, failed(ref, error));
      }
    }
    const owners = await findForeignOwners(this.kube, this.bundleName, known.map(({ planned, info }) => ({ ref: planned.ref, info })));
    return { known, owners };
  }

  private async applyKnown(planned: PlannedObject, info: ResourceInfo, owners: ForeignOwners): Promise<ApplyOutcome> {
    const { ref } = planned;
    try {
      const owner = owners.ownerOf(ref);
      if (owner !== undefined) {
        return fail(
          'OwnershipConflict',
          `${describeRef(ref)} already exists and belongs to bundle "${owner}" (label ${BUNDLE_LABEL}); ` +
            'an object can be managed by one bundle only: remove it from one of the two bundles',
          false,
        );
      }
      const live = await serverSideApply<KubernetesObject>(this.kube, objectPath(ref, info), planned.object);
      return { ok: true, live };
    } catch (error) {
      return failed(ref, error);
    }
  }
}

/** The outcome of a request about `ref` that failed: ApplyFailed, retryable as the API server's answer says. */
export function failed(ref: ObjectRef, error: unknown): ApplyOutcome {
  const retryable = error instanceof KubeApiError ? error.retryable : true;
  return fail('ApplyFailed', `${describeRef(ref)}: ${messageOf(error)}`, retryable, error);
}

function fail(reason: AgentError['reason'], message: string, retryable: boolean, cause?: unknown): ApplyOutcome {
  return { ok: false, error: new AgentError(reason, message, { retryable, cause }) };
}
