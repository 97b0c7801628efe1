/**
 * One worker process of the fan-out benchmark: simulates many clusters with
 * the agent's own gRPC client (agent/dist HubClient: its channel options,
 * content download and verification), one TLS + HTTP/2 connection each.
 *
 * Each simulated cluster registers, opens a Watch stream, and for every
 * desired state it receives fetches the content of each deployment whose
 * revision changed (GetBundleContents, one call per 64 revisions as the agent's
 * ContentBatcher makes them, each sha256 verified), then reports those
 * deployments applied and Ready in one ReportStatus call — what a real agent
 * does, minus the Kubernetes API. Desired states of one cluster are handled
 * one at a time; a newer one arriving meanwhile is handled next.
 *
 * Forked by run.ts with its configuration as JSON in argv[2]. IPC: 'progress'
 * while starting, 'stats' in answer to {type:'stats'}, {type:'resync'} makes
 * every cluster re-report all its statuses unchanged ('resynced' when done),
 * {type:'stop'} exits.
 */
import { DeploymentState, type DesiredState, type DeploymentStatus, type WatchResponse } from '@flotilla/proto';
import { MAX_BATCH } from '../../agent/dist/connection/content-batcher.js';
import { HubClient } from '../../agent/dist/connection/hub.client.js';

export interface WorkerConfig {
  worker: number;
  grpcAddress: string;
  caPem: string;
  registrationToken: string;
  /** When given, cluster i registers with registrationTokens[i % length] (tokens that carry different labels). */
  registrationTokens?: string[];
  identityPrefix: string;
  first: number;
  count: number;
  /** Register calls in flight at once in this worker. */
  concurrency: number;
}

export interface WorkerStats {
  worker: number;
  registered: number;
  streamsOpen: number;
  desiredStates: number;
  /** Revisions fetched, and the GetBundleContents calls they took. */
  fetches: number;
  fetchCalls: number;
  fetchedBytes: number;
  reports: number;
  reportedDeployments: number;
  errors: number;
  lastError: string;
  rssKiB: number;
}

const config = JSON.parse(process.argv[2]!) as WorkerConfig;
const stats: WorkerStats = {
  worker: config.worker,
  registered: 0,
  streamsOpen: 0,
  desiredStates: 0,
  fetches: 0,
  fetchCalls: 0,
  fetchedBytes: 0,
  reports: 0,
  reportedDeployments: 0,
  errors: 0,
  lastError: '',
  rssKiB: 0,
};

class SimulatedCluster {
  private readonly client: HubClient;
  private credential = '';
  private readonly applied = new Map<string, string>();
  private latest: DesiredState | undefined;
  private busy = false;

  readonly identity: string;
  private readonly token: string;

  constructor(identity: string, index: number) {
    this.identity = identity;
    const tokens = config.registrationTokens;
    this.token = tokens?.length ? tokens[index % tokens.length]! : config.registrationToken;
    // A local subchannel pool: each simulated cluster gets its own connection, as real agents do.
    this.client = new HubClient(config.grpcAddress, { mode: 'ca', caPem: config.caPem, caFile: '' }, { 'grpc.use_local_subchannel_pool': 1 });
  }

  async start(): Promise<void> {
    const reg = await this.client.register({ token: this.token, clusterIdentity: this.identity, clusterName: this.identity, labels: {}, agentVersion: 'bench', registrationNonce: '' });
    this.credential = reg.credential;
    stats.registered++;
    const stream = this.client.watch(this.credential, 'bench', '');
    stream.on('data', (message: WatchResponse) => {
      if (message.event?.$case === 'session') stats.streamsOpen++;
      if (message.event?.$case !== 'desiredState') return;
      stats.desiredStates++;
      this.latest = message.event.value;
      void this.drain();
    });
    stream.on('error', (error: Error) => fail(error));
  }

  private async drain(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      while (this.latest) {
        const state = this.latest;
        this.latest = undefined;
        await this.apply(state);
      }
    } catch (error) {
      fail(error as Error);
    } finally {
      this.busy = false;
    }
  }

  private async apply(state: DesiredState): Promise<void> {
    const changed = state.deployments.filter((d) => this.applied.get(d.deploymentId) !== d.revision);
    // As the agent's ContentBatcher joins the fetches of deployments that change together: one call per 64 revisions.
    const revisions = [...new Set(changed.map((d) => d.revision))];
    for (let i = 0; i < revisions.length; i += MAX_BATCH) {
      const contents = await this.client.fetchContents(this.credential, revisions.slice(i, i + MAX_BATCH));
      stats.fetchCalls++;
      for (const content of contents.values()) {
        stats.fetches++;
        stats.fetchedBytes += content.length;
      }
    }
    if (changed.length === 0) return;
    const reports: DeploymentStatus[] = changed.map((d) => ({
      deploymentId: d.deploymentId,
      appliedRevision: d.revision,
      state: DeploymentState.DEPLOYMENT_STATE_READY,
      reason: '',
      message: '',
      resources: [],
    }));
    await this.client.reportStatus(this.credential, reports);
    for (const d of changed) this.applied.set(d.deploymentId, d.revision);
    stats.reports++;
    stats.reportedDeployments += reports.length;
  }

  /** Re-sends the status of everything applied, unchanged: what a real agent's reporter does every 60 s. */
  async resync(): Promise<void> {
    if (this.applied.size === 0) return;
    const reports: DeploymentStatus[] = [...this.applied].map(([deploymentId, revision]) => ({
      deploymentId,
      appliedRevision: revision,
      state: DeploymentState.DEPLOYMENT_STATE_READY,
      reason: '',
      message: '',
      resources: [],
    }));
    await this.client.reportStatus(this.credential, reports);
    stats.reports++;
    stats.reportedDeployments += reports.length;
  }

  close(): void {
    this.client.close();
  }
}

function fail(error: Error): void {
  stats.errors++;
  stats.lastError = error.message;
}

const clusters: SimulatedCluster[] = [];

async function main(): Promise<void> {
  const queue = Array.from({ length: config.count }, (_, i) => config.first + i);
  const progress = setInterval(() => process.send?.({ type: 'progress', stats }), 1000);
  await Promise.all(
    Array.from({ length: config.concurrency }, async () => {
      for (let index = queue.shift(); index !== undefined; index = queue.shift()) {
        const cluster = new SimulatedCluster(`${config.identityPrefix}-${index}`, index);
        clusters.push(cluster);
        // A busy machine can time a registration out: retry, as a real agent's backoff would.
        for (let attempt = 1; ; attempt++) {
          try {
            await cluster.start();
            break;
          } catch (error) {
            fail(error as Error);
            if (attempt >= 5) break;
            await new Promise((r) => setTimeout(r, 1000 * attempt));
          }
        }
      }
    }),
  );
  clearInterval(progress);
  process.send?.({ type: 'started', stats });
}

process.on('message', (message: { type: string }) => {
  if (message.type === 'stats') {
    stats.rssKiB = Math.round(process.memoryUsage.rss() / 1024);
    process.send?.({ type: 'stats', stats });
  } else if (message.type === 'resync') {
    let next = 0;
    void Promise.all(
      Array.from({ length: config.concurrency }, async () => {
        while (next < clusters.length) await clusters[next++]!.resync().catch(fail);
      }),
    ).then(() => process.send?.({ type: 'resynced', stats }));
  } else if (message.type === 'stop') {
    for (const c of clusters) c.close();
    process.exit(0);
  }
});

void main();
