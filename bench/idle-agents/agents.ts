/**
 * One worker process of the idle-agents benchmark: simulates many idle agents.
 *
 * Forked by run.ts with its configuration as JSON in argv[2]. Each simulated
 * agent behaves like a real idle agent:
 *   - it owns one gRPC channel, i.e. one TLS + HTTP/2 connection to the hub
 *     (a local subchannel pool per channel, so grpc-js cannot share
 *     connections between agents);
 *   - it calls Register once with its own cluster identity;
 *   - it opens one Watch stream, reads SessionInfo and the DesiredState;
 *   - it calls Heartbeat at the interval SessionInfo announces (first beat at
 *     a random phase within the interval, as in a fleet whose agents started
 *     at different times), reusing its channel;
 *   - when the stream ends it reconnects after a short backoff (registering
 *     again if its credential was rejected); the benchmark reports reconnects.
 *
 * Registration and the first connect run with bounded concurrency.
 *
 * IPC (process.send): 'progress' every second while starting, 'stats' in
 * answer to {type:'stats'}, and {type:'stop'} closes everything and exits.
 */
import { CHANNEL_OPTIONS as AGENT_CHANNEL_OPTIONS } from '../../agent/dist/connection/hub.client.js';
import { Channel, ChannelCredentials, Metadata, status, type ClientReadableStream, type ServiceError } from '@grpc/grpc-js';
import {
  AgentServiceClient,
  RegistrationServiceClient,
  bearer,
  type RegisterResponse,
  type WatchResponse,
} from '@flotilla/proto';

export interface WorkerConfig {
  /** Worker number, for identities and logs. */
  worker: number;
  grpcAddress: string;
  /** CA of the hub's certificate; empty = plaintext. */
  caPem: string;
  registrationToken: string;
  /** Identity prefix shared by the run (unique per scenario). */
  identityPrefix: string;
  /** Index of this worker's first agent and how many it runs. */
  first: number;
  count: number;
  /** Register + first-connect calls in flight at once in this worker. */
  concurrency: number;
  /** Extra client channel options (e.g. keepalive), applied to every agent. */
  channelOptions: Record<string, string | number>;
  /** Call Heartbeat at the announced interval (false only for the variant that isolates its cost). */
  /** Call Heartbeat every this many seconds whatever SessionInfo says (variant: agents before heartbeat-free streams); 0 = as announced. */
  heartbeatEverySeconds: number;
  /**
   * Agents sharing one connection (default 1, as real agents). More than 1 is
   * a variant: it shows what the hub pays per stream rather than per
   * connection, i.e. behind a proxy that multiplexes agents' streams.
   */
  agentsPerConnection?: number;
}

export interface WorkerStats {
  worker: number;
  agents: number;
  registered: number;
  connected: number;
  registerFailures: number;
  heartbeatsOk: number;
  heartbeatsFailed: number;
  /** Watch streams that ended after they were established. */
  streamEnds: number;
  reconnects: number;
  /** Heartbeat intervals announced in SessionInfo (seconds → agents). */
  intervals: Record<string, number>;
  rssKiB: number;
  lastError: string;
}

interface Agent {
  index: number;
  identity: string;
  channel: Channel;
  registration: RegistrationServiceClient;
  client: AgentServiceClient;
  credential?: string;
  metadata?: Metadata;
  generation: string;
  call?: ClientReadableStream<WatchResponse>;
  heartbeat?: NodeJS.Timeout;
  intervalSeconds: number;
  connected: boolean;
}

const config = JSON.parse(process.argv[2] ?? '{}') as WorkerConfig;
const credentials = config.caPem ? ChannelCredentials.createSsl(Buffer.from(config.caPem)) : ChannelCredentials.createInsecure();
const agents: Agent[] = [];
let stopping = false;
const stats: WorkerStats = {
  worker: config.worker,
  agents: config.count,
  registered: 0,
  connected: 0,
  registerFailures: 0,
  heartbeatsOk: 0,
  heartbeatsFailed: 0,
  streamEnds: 0,
  reconnects: 0,
  intervals: {},
  rssKiB: 0,
  lastError: '',
};

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const sharedChannels = new Map<number, Channel>();

function newAgent(index: number): Agent {
  // One channel (= one connection) per agent, shared by its clients.
  const group = Math.floor(index / Math.max(1, config.agentsPerConnection ?? 1));
  let channel = sharedChannels.get(group);
  if (!channel) {
    channel = new Channel(config.grpcAddress, credentials, {
      ...AGENT_CHANNEL_OPTIONS,
      ...config.channelOptions,
      'grpc.use_local_subchannel_pool': 1,
    });
    sharedChannels.set(group, channel);
  }
  return {
    index,
    identity: `${config.identityPrefix}-${index}`,
    channel,
    registration: new RegistrationServiceClient(config.grpcAddress, credentials, { channelOverride: channel }),
    client: new AgentServiceClient(config.grpcAddress, credentials, { channelOverride: channel }),
    generation: '',
    intervalSeconds: 0,
    connected: false,
  };
}

function register(agent: Agent): Promise<RegisterResponse> {
  return new Promise((resolve, reject) =>
    agent.registration.register(
      { token: config.registrationToken, clusterIdentity: agent.identity, labels: { bench: 'idle-agents' }, agentVersion: 'bench', clusterName: '',
        // The same nonce on every attempt: a retry after a lost answer re-attaches instead of being refused.
        registrationNonce: `bench-${agent.identity}` },
      new Metadata(),
      { deadline: Date.now() + 60_000 },
      (error, response) => (error ? reject(error) : resolve(response)),
    ),
  );
}

async function registerWithRetry(agent: Agent): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await register(agent);
      agent.credential = response.credential;
      agent.metadata = new Metadata();
      agent.metadata.set('authorization', bearer(response.credential));
      return;
    } catch (error) {
      stats.registerFailures++;
      stats.lastError = `register: ${(error as ServiceError).message}`;
      if (attempt >= 5 || stopping) throw error;
      await sleep(500 * attempt + Math.random() * 500);
    }
  }
}

/** Opens the Watch stream; resolves once SessionInfo arrived. */
function connect(agent: Agent): Promise<void> {
  return new Promise((resolve, reject) => {
    let established = false;
    const call = agent.client.watch({ agentVersion: 'bench', knownGeneration: agent.generation }, agent.metadata!);
    agent.call = call;
    call.on('data', (response: WatchResponse) => {
      const event = response.event;
      if (event?.$case === 'session') {
        established = true;
        agent.connected = true;
        stats.connected++;
        const seconds = event.value.heartbeatIntervalSeconds;
        stats.intervals[seconds] = (stats.intervals[seconds] ?? 0) + 1;
        scheduleHeartbeat(agent, config.heartbeatEverySeconds || seconds);
        resolve();
      } else if (event?.$case === 'desiredState') {
        agent.generation = event.value.generation;
      }
    });
    const ended = (error: ServiceError | undefined) => {
      if (agent.call !== call) return;
      agent.call = undefined;
      clearTimeout(agent.heartbeat);
      agent.heartbeat = undefined;
      if (agent.connected) {
        agent.connected = false;
        stats.connected--;
        const seconds = agent.intervalSeconds;
        stats.intervals[seconds] = (stats.intervals[seconds] ?? 1) - 1;
      }
      if (stopping) return;
      if (error) stats.lastError = `watch: ${error.message}`;
      if (!established) {
        reject(error ?? new Error('Watch ended before SessionInfo'));
        return;
      }
      stats.streamEnds++;
      void reconnect(agent, error?.code === status.UNAUTHENTICATED);
    };
    call.on('error', (error: ServiceError) => ended(error));
    call.on('end', () => ended(undefined));
  });
}

async function reconnect(agent: Agent, reRegister: boolean): Promise<void> {
  await sleep(1000 + Math.random() * 4000);
  if (stopping) return;
  stats.reconnects++;
  try {
    if (reRegister) await registerWithRetry(agent);
    await connect(agent);
  } catch (error) {
    stats.lastError = `reconnect: ${(error as Error).message}`;
    void reconnect(agent, false);
  }
}

function scheduleHeartbeat(agent: Agent, seconds: number): void {
  agent.intervalSeconds = seconds;
  clearTimeout(agent.heartbeat);
  const beat = () => {
    if (!agent.connected || stopping) return;
    agent.client.heartbeat({ agentVersion: 'bench' }, agent.metadata!, { deadline: Date.now() + 20_000 }, (error, response) => {
      if (error) {
        stats.heartbeatsFailed++;
        stats.lastError = `heartbeat: ${error.message}`;
      } else {
        stats.heartbeatsOk++;
      }
      const next = config.heartbeatEverySeconds || (!error && response.heartbeatIntervalSeconds > 0 ? response.heartbeatIntervalSeconds : agent.intervalSeconds);
      if (agent.connected && !stopping) {
        agent.intervalSeconds = next;
        agent.heartbeat = setTimeout(beat, next * 1000);
      }
    });
  };
  if (seconds <= 0) return; // the hub asks for none while the stream is open
  // Random phase: a steady-state fleet's heartbeats are spread over the interval.
  agent.heartbeat = setTimeout(beat, Math.random() * seconds * 1000);
}

async function startAll(): Promise<void> {
  for (let i = 0; i < config.count; i++) agents.push(newAgent(config.first + i));
  let next = 0;
  const lane = async () => {
    while (!stopping && next < agents.length) {
      const agent = agents[next++]!;
      try {
        await registerWithRetry(agent);
        stats.registered++;
        await connect(agent);
      } catch (error) {
        stats.lastError = `start agent ${agent.index}: ${(error as Error).message}`;
        if (!stopping) void reconnect(agent, agent.credential === undefined);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, config.concurrency) }, lane));
}

function snapshot(): WorkerStats {
  return { ...stats, intervals: { ...stats.intervals }, rssKiB: Math.round(process.memoryUsage.rss() / 1024) };
}

function stop(): void {
  stopping = true;
  for (const agent of agents) {
    clearTimeout(agent.heartbeat);
    agent.call?.cancel();
  }
  for (const channel of sharedChannels.values()) channel.close();
  // Let the cancellations reach the hub, then leave.
  setTimeout(() => process.exit(0), 500).unref();
}

const progress = setInterval(() => process.send?.({ type: 'progress', stats: snapshot() }), 1000);
process.on('message', (message: { type: string }) => {
  if (message.type === 'stats') process.send?.({ type: 'stats', stats: snapshot() });
  if (message.type === 'stop') {
    clearInterval(progress);
    stop();
  }
});
// Orphaned (run.ts died): do not keep thousands of streams open.
process.on('disconnect', () => {
  clearInterval(progress);
  stop();
});

void startAll().then(() => process.send?.({ type: 'progress', stats: snapshot() }));
