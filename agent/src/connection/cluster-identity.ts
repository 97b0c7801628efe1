import { messageOf } from '../errors.js';
import type { KubeClient } from '../kube/kube-client.js';

/**
 * The cluster's stable identity: the UID of its `kube-system` namespace,
 * which exists in every cluster and survives agent reinstalls.
 */
export async function clusterIdentity(kube: KubeClient): Promise<string> {
  try {
    const ns = await kube.request<{ metadata?: { uid?: string } }>('GET', '/api/v1/namespaces/kube-system');
    if (!ns.metadata?.uid) throw new Error('it has no uid');
    return ns.metadata.uid;
  } catch (error) {
    throw new Error(
      `cannot read namespace kube-system, whose UID identifies this cluster (the agent needs "get" on namespaces/kube-system): ${messageOf(error)}`,
      { cause: error },
    );
  }
}
