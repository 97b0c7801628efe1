/**
 * The fleet of the end-to-end tests: one hub (with the harness's helm and
 * kustomize) and N workloads test clusters, each with a real agent process
 * registered with its labels.
 */
import type { KubeClient } from '../../agent/src/kube/kube-client.ts';
import { agentBuilt, agentProcess, type AgentProcess } from '../agent/agent-process.ts';
import { createNamespace, kubeFor } from '../agent/agent-support.ts';
import { startClusters, toolPath, type Cluster } from '../clusters/index.ts';
import { startHub, type TestHub } from './hub.ts';

export const AGENT_NS = 'flotilla-system';

export interface FleetMember {
  cluster: Cluster;
  kube: KubeClient;
  agent: AgentProcess;
}

export interface TestFleet {
  hub: TestHub;
  members: FleetMember[];
  /** Stops the agents and clusters and drops the hub (printing the agents' logs when FLOTILLA_TEST_AGENT_LOGS is set). */
  dispose(): Promise<void>;
}

/**
 * Starts the hub and one cluster per entry of `labels` (in parallel), and an
 * agent on each, registered with one token. `startAgent(i)` false leaves
 * member i's agent unstarted (a cluster that joins later: `agent.start()`).
 */
export async function startFleet(labels: ReadonlyArray<Record<string, string>>, options: { startAgent?: (i: number) => boolean } = {}): Promise<TestFleet> {
  agentBuilt();
  const [hub, clusters] = await Promise.all([
    startHub({ env: { FLOTILLA_HELM: await toolPath('helm'), FLOTILLA_KUSTOMIZE: await toolPath('kustomize') } }),
    startClusters(labels.length, { workloads: true }),
  ]);
  const token = (await hub.api('POST', '/api/v1/registration-tokens', { maxUses: labels.length, ttlSeconds: 3600 })).body.token as string;
  const members = await Promise.all(
    clusters.map(async (cluster, i) => {
      const kube = await kubeFor(cluster);
      await createNamespace(kube, AGENT_NS);
      const agent = agentProcess({ hubAddress: hub.grpcAddress, caFile: hub.tls!.caFile, token, kubeconfigPath: cluster.kubeconfigPath, clusterName: cluster.name, labels: labels[i]!, namespace: AGENT_NS });
      if (options.startAgent?.(i) ?? true) agent.start();
      return { cluster, kube, agent };
    }),
  );
  return {
    hub,
    members,
    async dispose() {
      await Promise.all(members.map((m) => m.agent.stop()));
      for (const m of members) m.kube.close();
      await Promise.all(members.map((m) => m.cluster.stop()));
      await hub.dispose();
      if (process.env.FLOTILLA_TEST_AGENT_LOGS) for (const m of members) console.log(m.agent.logs());
    },
  };
}
