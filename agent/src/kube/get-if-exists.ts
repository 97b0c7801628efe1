import type { KubernetesObject } from '@kubernetes/client-node';
import { isNotFound } from './kube-api-error.js';
import type { KubeClient } from './kube-client.js';

/** GET of one object: undefined when the API server answers 404; any other failure is thrown. */
export async function getIfExists(kube: KubeClient, path: string): Promise<KubernetesObject | undefined> {
  try {
    return await kube.request<KubernetesObject>('GET', path);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}
