import type { KubernetesObject } from '@kubernetes/client-node';
import type { Discovery } from '../apply/discovery.js';
import { objectPath } from '../apply/discovery.js';
import type { DryRunApplier } from '../drift/index.js';
import { KubeApiError } from '../kube/kube-api-error.js';
import type { KubeClient } from '../kube/kube-client.js';
import { FIELD_MANAGER, refOf } from '../kube/object-ref.js';
import { serverSideApply } from '../kube/server-side-apply.js';

/**
 * The server-side apply dry-run drift detection makes, served by the agent's
 * own client: the manifest is sent unchanged, the response is the plain JSON
 * the server returns, and failures are the client's `KubeApiError` (HTTP
 * `status` and the server's message), which the drift module reads.
 *
 * The agent applies only as `flotilla-agent` (`serverSideApply` has no other
 * field manager), so a dry-run for any other manager is refused rather than
 * silently run as the agent.
 */
export function driftApi(kube: KubeClient, discovery: Discovery): DryRunApplier {
  return {
    async dryRunApply(desired: KubernetesObject, fieldManager: string): Promise<KubernetesObject> {
      if (fieldManager !== FIELD_MANAGER) {
        throw new Error(`drift dry-runs apply as ${FIELD_MANAGER}; field manager "${fieldManager}" is not supported`);
      }
      const ref = refOf(desired);
      const info = await discovery.lookup(ref.apiVersion, ref.kind);
      if (!info) throw new KubeApiError(404, 'NotFound', `the server does not serve kind ${ref.kind} in ${ref.apiVersion}`);
      return serverSideApply<KubernetesObject>(kube, objectPath(ref, info), desired, { force: true, dryRun: true });
    },
  };
}
