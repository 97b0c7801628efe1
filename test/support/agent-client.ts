import { ChannelCredentials, Metadata, type ServiceError } from '@grpc/grpc-js';
import {
  AgentServiceClient,
  RegistrationServiceClient,
  bearer,
  type RegisterResponse,
  type WatchResponse,
} from '@flotilla/proto';
import type { TestHub } from './hub.ts';

function channel(hub: TestHub): ChannelCredentials {
  return hub.tls ? ChannelCredentials.createSsl(Buffer.from(hub.tls.caPem)) : ChannelCredentials.createInsecure();
}

export interface RegisterArgs {
  token: string;
  identity: string;
  labels?: Record<string, string>;
  name?: string;
  /** Registration nonce (default none). */
  nonce?: string;
}

/** Calls Register over a real socket (TLS when the hub has it). */
export function register(hub: TestHub, args: RegisterArgs): Promise<RegisterResponse> {
  const client = new RegistrationServiceClient(hub.grpcAddress, channel(hub));
  return new Promise<RegisterResponse>((resolve, reject) =>
    client.register(
      { token: args.token, clusterIdentity: args.identity, labels: args.labels ?? {}, agentVersion: 'test', clusterName: args.name ?? '', registrationNonce: args.nonce ?? '' },
      (error, response) => (error ? reject(error) : resolve(response)),
    ),
  ).finally(() => client.close());
}

export function credentialMetadata(credential: string): Metadata {
  const metadata = new Metadata();
  metadata.set('authorization', bearer(credential));
  return metadata;
}

export function agentClient(hub: TestHub): AgentServiceClient {
  return new AgentServiceClient(hub.grpcAddress, channel(hub));
}

export interface OpenWatch {
  events: WatchResponse[];
  /** Resolves when the stream ends, with its status (OK = 0). */
  ended: Promise<{ code: number; details: string; reason?: string }>;
  cancel(): void;
}

/** Opens a Watch stream and records everything it receives. */
export function watch(hub: TestHub, credential: string, knownGeneration = ''): OpenWatch {
  const client = agentClient(hub);
  const call = client.watch({ agentVersion: 'test', knownGeneration }, credentialMetadata(credential));
  const events: WatchResponse[] = [];
  call.on('data', (event: WatchResponse) => events.push(event));
  const ended = new Promise<{ code: number; details: string; reason?: string }>((resolve) => {
    call.on('error', (error: ServiceError) => {
      const reason = error.metadata?.get('flotilla-reason')[0];
      resolve({ code: error.code, details: error.details, ...(typeof reason === 'string' ? { reason } : {}) });
    });
    call.on('end', () => resolve({ code: 0, details: 'OK' }));
  }).finally(() => client.close());
  return { events, ended, cancel: () => call.cancel() };
}

/** Calls a unary AgentService method with a credential; resolves the response or rejects with the ServiceError. */
export function heartbeat(hub: TestHub, credential: string): Promise<unknown> {
  const client = agentClient(hub);
  return new Promise((resolve, reject) =>
    client.heartbeat({ agentVersion: 'test' }, credentialMetadata(credential), (e, r) => (e ? reject(e) : resolve(r))),
  ).finally(() => client.close());
}

export function reportStatus(hub: TestHub, credential: string, deployments: any[]): Promise<{ accepted: number }> {
  const client = agentClient(hub);
  return new Promise<{ accepted: number }>((resolve, reject) =>
    client.reportStatus({ deployments }, credentialMetadata(credential), (e, r) => (e ? reject(e) : resolve(r))),
  ).finally(() => client.close());
}

/** Status code and reason of a rejected gRPC call. */
export async function grpcFailure(promise: Promise<unknown>): Promise<{ code: number; details: string; reason: string | undefined }> {
  try {
    await promise;
  } catch (error) {
    const e = error as ServiceError;
    const reason = e.metadata?.get('flotilla-reason')[0];
    return { code: e.code, details: e.details, reason: typeof reason === 'string' ? reason : undefined };
  }
  throw new Error('expected the call to fail');
}

/** Fetches a revision's content through GetBundleContent; resolves the bytes and the number of chunks. */
export function fetchContent(hub: TestHub, credential: string, revision: string): Promise<{ bytes: Buffer; chunks: number; totalSize: number }> {
  const client = agentClient(hub);
  const call = client.getBundleContent({ revision }, credentialMetadata(credential));
  const parts: Buffer[] = [];
  let totalSize = 0;
  return new Promise<{ bytes: Buffer; chunks: number; totalSize: number }>((resolve, reject) => {
    call.on('data', (m: { chunk: Uint8Array; totalSize: number }) => {
      if (parts.length === 0) totalSize = m.totalSize;
      parts.push(Buffer.from(m.chunk));
    });
    call.on('error', reject);
    call.on('end', () => resolve({ bytes: Buffer.concat(parts), chunks: parts.length, totalSize }));
  }).finally(() => client.close());
}

/** The latest desired state a Watch stream received. */
export function latestDesired(stream: OpenWatch) {
  for (let i = stream.events.length - 1; i >= 0; i--) {
    const event = stream.events[i]!.event;
    if (event?.$case === 'desiredState') return event.value;
  }
  return undefined;
}

/** The secret part of a hub-issued token `flt_<kind>_<uuid>_<secret>` (the secret itself may contain "_"). */
export function secretOf(token: string): string {
  if (!token.startsWith('flt_')) return token;
  const afterKind = token.indexOf('_', 4) + 1;
  return token.slice(afterKind + 37);
}
