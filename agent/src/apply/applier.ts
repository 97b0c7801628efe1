import type { KubernetesObject } from '@kubernetes/client-node';
import { AgentError, messageOf } from '../errors.js';
import { isNotFound, KubeApiError } from '../kube/kube-api-error.js';
import type { KubeClient } from '../kube/kube-client.js';
import { BUNDLE_LABEL, describeRef, type ObjectRef } from '../kube/object-ref.js';
import { serverSideApply } from '../kube/server-side-apply.js';
import type { ApplyStep, PlannedObject } from '../plan/plan.js';
import { mapLimit } from '../kube/map-limit.js';
import { waitForEstablished } from './crd-established.js';
import { objectPath, type Discovery } from './discovery.js';

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
      await mapLimit(step.objects, APPLY_CONCURRENCY, async (planned) => {
        const outcome = await this.applyObject(planned);
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
    const { ref } = planned;
    try {
      const info = await this.discovery.lookup(ref.apiVersion, ref.kind);
      if (!info) {
        return fail('ApplyFailed', `${describeRef(ref)}: the API server has no kind ${ref.kind} in ${ref.apiVersion} (is its CRD installed?)`, true);
      }
      const path = objectPath(ref, info);
      const owner = await this.ownerOf(path);
      if (owner !== undefined && owner !== this.bundleName) {
        return fail(
          'OwnershipConflict',
          `${describeRef(ref)} already exists and belongs to bundle "${owner}" (label ${BUNDLE_LABEL}); ` +
            'an object can be managed by one bundle only: remove it from one of the two bundles',
          false,
        );
      }
      const live = await serverSideApply<KubernetesObject>(this.kube, path, planned.object);
      return { ok: true, live };
    } catch (error) {
      const retryable = error instanceof KubeApiError ? error.retryable : true;
      return fail('ApplyFailed', `${describeRef(ref)}: ${messageOf(error)}`, retryable, error);
    }
  }

  /** The bundle label of the live object at `path`; undefined when it does not exist or has none. */
  private async ownerOf(path: string): Promise<string | undefined> {
    try {
      const live = await this.kube.request<KubernetesObject>('GET', path);
      return live.metadata?.labels?.[BUNDLE_LABEL];
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }
}

function fail(reason: AgentError['reason'], message: string, retryable: boolean, cause?: unknown): ApplyOutcome {
  return { ok: false, error: new AgentError(reason, message, { retryable, cause }) };
}
