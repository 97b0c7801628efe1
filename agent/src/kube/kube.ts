import { createKubeClient, type KubeClient } from './kube-client.js';
import { inClusterConnection, kubeconfigConnection } from './kubeconfig.js';

/** A client for the kubeconfig file when given, else the in-cluster service account. */
export async function connectKube(kubeconfigPath: string | undefined): Promise<KubeClient> {
  return createKubeClient(kubeconfigPath ? await kubeconfigConnection(kubeconfigPath) : inClusterConnection());
}
