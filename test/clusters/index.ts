/**
 * Test-cluster harness: real, isolated Kubernetes clusters for tests.
 *
 *   import { startClusters, toolPath } from '../clusters/index.ts';
 *   const clusters = await startClusters(3, { workloads: true });
 *   // clusters[0].kubeconfig, .kubeconfigPath, .server, .stop()
 *   const helm = await toolPath('helm');
 *
 * See README.md in this folder.
 */
export {
  startCluster,
  startClusters,
  stopClusters,
  stopClusterDir,
  readClusterState,
  ApiClient,
  type Cluster,
  type ClusterState,
  type ComponentName,
  type KubeconfigObject,
  type Ports,
  type ProcessInfo,
  type Profile,
  type StartOptions,
} from './cluster.ts';
export {
  ALL_TOOLS,
  CLUSTER_TOOLS,
  builtTools,
  cacheDir,
  cacheKey,
  cacheRoot,
  cachedToolPath,
  toolBinDir,
  ensureTools,
  toolPath,
  toolVersions,
  type BuildResult,
  type EnsureOptions,
  type ToolName,
} from './build.ts';
export { ClusterHarnessError, ClusterStartError, ToolBuildError } from './errors.ts';
export { processesMentioning, rssKiB } from './proc.ts';
