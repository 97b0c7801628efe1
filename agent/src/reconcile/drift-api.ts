import type { KubernetesObject, KubernetesObjectApi } from '@kubernetes/client-node';
import type { Discovery } from '../apply/discovery.js';
import { objectPath } from '../apply/discovery.js';
import { toWireObject } from '../drift/index.js';
import { KubeApiError } from '../kube/kube-api-error.js';
import type { KubeClient } from '../kube/kube-client.js';
import { refOf } from '../kube/object-ref.js';
import { serverSideApply } from '../kube/server-side-apply.js';

/**
 * The one `KubernetesObjectApi` call drift detection makes (a server-side
 * apply dry-run, `patch(obj, pretty, 'All', manager, force, apply-patch)`),
 * served by the agent's own client. Errors carry `code` and `body.message`
 * like the library's ApiException, which is what the drift module reads.
 */
export function driftApi(kube: KubeClient, discovery: Discovery): KubernetesObjectApi {
  const patch = async (spec: KubernetesObject, _pretty?: string, dryRun?: string, _fieldManager?: string, force?: boolean) => {
    const wire = toWireObject(spec);
    const ref = refOf(wire as KubernetesObject);
    const info = await discovery.lookup(ref.apiVersion, ref.kind);
    if (!info) throw Object.assign(new Error(`no kind ${ref.kind} in ${ref.apiVersion}`), { code: 404 });
    try {
      return await serverSideApply<KubernetesObject>(kube, objectPath(ref, info), wire, { force: force ?? true, dryRun: dryRun === 'All' });
    } catch (error) {
      if (!(error instanceof KubeApiError)) throw error;
      throw Object.assign(new Error(error.message, { cause: error }), { code: error.status || undefined, body: { message: error.message } });
    }
  };
  return { patch } as unknown as KubernetesObjectApi;
}
