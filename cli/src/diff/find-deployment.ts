import type { ClusterItem, DeploymentDetail, DeploymentItem } from '../hub/hub-api.types.js';
import { CliError } from '../errors/cli.error.js';
import type { HubClient } from '../hub/hub.client.js';
import { HubError } from '../hub/hub.error.js';

/**
 * The deployment of `bundle` on the cluster named `clusterName`, with its
 * per-object status. The hub looks clusters up by id only and does not
 * filter a cluster's deployments by bundle, so: the clusters whose name
 * starts with `clusterName` (the hub's namePrefix filter), the one with
 * exactly that name, then its deployments page by page until `bundle`.
 */
export async function findDeployment(hub: HubClient, bundle: string, clusterName: string): Promise<DeploymentDetail> {
  const cluster = await findCluster(hub, clusterName);
  for await (const d of hub.items<DeploymentItem>(`api/v1/clusters/${cluster.id}/deployments`)) {
    // Not stopped early past the name: the hub sorts by its database collation, not by JavaScript's.
    if (d.bundleName === bundle) return hub.get<DeploymentDetail>(`api/v1/deployments/${d.deploymentId}`);
  }
  await assertBundleExists(hub, bundle);
  throw new CliError(`bundle "${bundle}" is not deployed to cluster "${clusterName}" (its targets do not select it)`, 'NotDeployed');
}

async function findCluster(hub: HubClient, name: string): Promise<ClusterItem> {
  for await (const c of hub.items<ClusterItem>('api/v1/clusters', { namePrefix: name })) if (c.name === name) return c;
  throw new CliError(`cluster "${name}" not found (see \`flotilla clusters\`)`, 'ClusterNotFound');
}

async function assertBundleExists(hub: HubClient, bundle: string): Promise<void> {
  try {
    await hub.get(`api/v1/bundles/${encodeURIComponent(bundle)}`);
  } catch (error) {
    if (error instanceof HubError && error.status === 404) throw new CliError(`bundle "${bundle}" not found`, 'BundleNotFound', { cause: error });
    throw error;
  }
}
