/**
 * The floor for the idle-agents benchmark: a bare grpc-js server speaking the
 * same agent contract as the hub, with the hub's server options and TLS, but
 * no NestJS, database, Redis or sessions bookkeeping. Register returns a
 * made-up credential, Watch sends SessionInfo and an empty DesiredState and
 * stays open, Heartbeat answers at once.
 *
 * run.ts --target floor forks it (IPC): it sends {type:'listening', port},
 * answers {type:'stats'} with its open stream count and memory, and exits on
 * {type:'stop'} or when run.ts goes away.
 *
 * Config (JSON in argv[2]): { certFile, keyFile, port, options } — `options` are
 * merged over the hub's server options, e.g. {"grpc.enable_channelz": 0}.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Server, ServerCredentials, type ServerWritableStream } from '@grpc/grpc-js';
// The hub's own server options (a file without NestJS imports), so the floor cannot drift from the hub.
import { SERVER_OPTIONS as HUB_SERVER_OPTIONS } from '../../hub/src/gateway/grpc-server.options.ts';
import {
  AgentServiceService,
  RegistrationServiceService,
  type AgentServiceServer,
  type RegistrationServiceServer,
  type WatchRequest,
  type WatchResponse,
} from '@flotilla/proto';

const config = JSON.parse(process.argv[2] ?? '{}') as { certFile?: string; keyFile?: string; port?: number; options?: Record<string, number | string> };
const streams = new Set<ServerWritableStream<WatchRequest, WatchResponse>>();
let heartbeats = 0;
let watchCalls = 0;

const unimplemented = (_call: unknown, callback: (error: { code: number; details: string }) => void) => callback({ code: 12, details: 'not in the floor server' });

const agent: AgentServiceServer = {
  watch: (call) => {
    watchCalls++;
    streams.add(call);
    const gone = () => streams.delete(call);
    call.on('cancelled', gone);
    call.on('close', gone);
    call.on('error', gone);
    call.write({ event: { $case: 'session', value: { clusterId: randomUUID(), clusterName: 'floor', heartbeatIntervalSeconds: 0 } } });
    call.write({ event: { $case: 'desiredState', value: { generation: 'empty', deployments: [] } } });
  },
  heartbeat: (_call, callback) => {
    heartbeats++;
    callback(null, { heartbeatIntervalSeconds: 30 });
  },
  reportStatus: unimplemented as AgentServiceServer['reportStatus'],
  getBundleContent: (call) => call.emit('error', { code: 12, details: 'not in the floor server' }),
  getBundleContents: (call) => call.emit('error', { code: 12, details: 'not in the floor server' }),
} as AgentServiceServer;

const registration: RegistrationServiceServer = {
  register: (_call, callback) => {
    const id = randomUUID();
    callback(null, { clusterId: id, clusterName: `floor-${id.slice(0, 8)}`, credential: `flt_cl_${id}_${randomBytes(32).toString('base64url')}` });
  },
};

const server = new Server({ ...HUB_SERVER_OPTIONS, ...config.options });
server.addService(AgentServiceService, agent);
server.addService(RegistrationServiceService, registration);
const credentials =
  config.certFile && config.keyFile
    ? ServerCredentials.createSsl(null, [{ cert_chain: readFileSync(config.certFile), private_key: readFileSync(config.keyFile) }])
    : ServerCredentials.createInsecure();
server.bindAsync(`127.0.0.1:${config.port ?? 0}`, credentials, (error, port) => {
  if (error) throw error;
  process.send?.({ type: 'listening', port });
});

process.on('message', (message: { type: string }) => {
  if (message.type === 'stats') {
    const m = process.memoryUsage();
    process.send?.({ type: 'stats', streamsOpen: streams.size, heartbeats, watchCalls, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external });
  }
  if (message.type === 'stop') server.tryShutdown(() => process.exit(0));
});
process.on('disconnect', () => process.exit(0));
