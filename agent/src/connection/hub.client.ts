import { ChannelCredentials, Metadata, type ChannelOptions, type ClientReadableStream, type ServiceError } from '@grpc/grpc-js';
import {
  AgentServiceClient,
  bearer,
  CREDENTIAL_METADATA_KEY,
  RegistrationServiceClient,
  type DeploymentStatus,
  type RegisterRequest,
  type RegisterResponse,
  type WatchResponse,
} from '@flotilla/proto';
import type { HubTls } from '../config/config.js';
import { ContentAssembler, ContentsAssembler, type ContentMessage } from './bundle-content.js';

/** Channel options of the agent's connection to the hub (the idle-agents benchmark uses them too). */
export const CHANNEL_OPTIONS = {
  // Find a dead hub (or a silently dropped NAT mapping) within ~80 s. Every
  // ping is work for the hub times the fleet size: not more often than that.
  'grpc.keepalive_time_ms': 60_000,
  'grpc.keepalive_timeout_ms': 20_000,
  'grpc.keepalive_permit_without_calls': 1,
  'grpc.max_receive_message_length': 16 * 1024 * 1024,
};

/** Deadline of unary calls and of a content download (per call). */
const UNARY_DEADLINE_MS = 30_000;
const CONTENT_DEADLINE_MS = 10 * 60_000;

/**
 * The agent's calls to the hub (flotilla.v1): one channel, credential in the
 * `authorization` metadata of every AgentService call.
 */
export class HubClient {
  private readonly agent: AgentServiceClient;
  private readonly registration: RegistrationServiceClient;

  /** @param channelOptions extra grpc-js options (benchmarks simulating many agents in one process use a local subchannel pool). */
  constructor(address: string, tls: HubTls, channelOptions: ChannelOptions = {}) {
    const credentials =
      tls.mode === 'insecure'
        ? ChannelCredentials.createInsecure()
        : ChannelCredentials.createSsl(tls.mode === 'ca' ? Buffer.from(tls.caPem) : null);
    const options = { ...CHANNEL_OPTIONS, ...channelOptions };
    this.agent = new AgentServiceClient(address, credentials, options);
    this.registration = new RegistrationServiceClient(address, credentials, options);
  }

  register(request: RegisterRequest): Promise<RegisterResponse> {
    return new Promise((resolve, reject) =>
      this.registration.register(request, new Metadata(), { deadline: deadline(UNARY_DEADLINE_MS) }, (error, response) =>
        error ? reject(error) : resolve(response),
      ),
    );
  }

  watch(credential: string, agentVersion: string, knownGeneration: string): ClientReadableStream<WatchResponse> {
    return this.agent.watch({ agentVersion, knownGeneration }, auth(credential));
  }

  /** Downloads and verifies a revision's content (chunks → size → sha256). */
  fetchContent(credential: string, revision: string): Promise<Buffer> {
    const assembler = new ContentAssembler(revision);
    return download(this.agent.getBundleContent({ revision }, auth(credential), { deadline: deadline(CONTENT_DEADLINE_MS) }), assembler);
  }

  /** Downloads and verifies several revisions in one GetBundleContents call (at most 64, distinct). */
  fetchContents(credential: string, revisions: string[]): Promise<Map<string, Buffer>> {
    const assembler = new ContentsAssembler(revisions);
    return download(this.agent.getBundleContents({ revisions }, auth(credential), { deadline: deadline(CONTENT_DEADLINE_MS) }), assembler);
  }

  reportStatus(credential: string, deployments: DeploymentStatus[]): Promise<number> {
    return new Promise((resolve, reject) =>
      this.agent.reportStatus({ deployments }, auth(credential), { deadline: deadline(UNARY_DEADLINE_MS) }, (error, response) =>
        error ? reject(error) : resolve(response.accepted),
      ),
    );
  }

  heartbeat(credential: string, agentVersion: string): Promise<number> {
    return new Promise((resolve, reject) =>
      this.agent.heartbeat({ agentVersion }, auth(credential), { deadline: deadline(UNARY_DEADLINE_MS) }, (error, response) =>
        error ? reject(error) : resolve(response.heartbeatIntervalSeconds),
      ),
    );
  }

  close(): void {
    this.agent.close();
    this.registration.close();
  }
}

function auth(credential: string): Metadata {
  const metadata = new Metadata();
  metadata.set(CREDENTIAL_METADATA_KEY, bearer(credential));
  return metadata;
}

/** Feeds a content stream to its assembler; resolves with what it assembled, rejects on the first error (and cancels the call). */
function download<T>(call: ClientReadableStream<ContentMessage>, assembler: { push(m: ContentMessage): void; finish(): T }): Promise<T> {
  return new Promise((resolve, reject) => {
    let failed = false;
    call.on('data', (message: ContentMessage) => {
      try {
        assembler.push(message);
      } catch (error) {
        failed = true;
        call.cancel();
        reject(error);
      }
    });
    call.on('error', (error: ServiceError) => {
      if (!failed) reject(error);
      failed = true;
    });
    call.on('end', () => {
      if (failed) return;
      try {
        resolve(assembler.finish());
      } catch (error) {
        reject(error);
      }
    });
  });
}

function deadline(ms: number): Date {
  return new Date(Date.now() + ms);
}
