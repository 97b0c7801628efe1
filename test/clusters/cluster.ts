/**
 * Real, isolated Kubernetes clusters for tests: etcd + kube-apiserver +
 * kube-controller-manager (profile `api-only`), plus kube-scheduler and kwok
 * with fake nodes (profile `workloads`), all pinned upstream binaries from the
 * cache (see build.ts). Each cluster has its own data dir, free ports, CA and
 * credentials; readiness is awaited through /readyz, the fake nodes' Ready
 * condition and the `default` service account (proof that the
 * controller-manager works), never with sleeps.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { binDir, CLUSTER_TOOLS, ensureTools, kwokStagesPath, type EnsureOptions } from './build.ts';
import { createPki, kubeconfigYaml, type ClusterPki } from './certs.ts';
import { ClusterStartError, type StartFailureReason } from './errors.ts';
import {
  killGroupsAndWait,
  spawnComponent,
  spawnWatchdog,
  trackForCleanup,
  untrack,
  type ComponentProcess,
} from './proc.ts';

export type Profile = 'api-only' | 'workloads';
export type ComponentName = 'etcd' | 'kube-apiserver' | 'kube-controller-manager' | 'kube-scheduler' | 'kwok';

export interface StartOptions {
  /** Shorthand for `profile: 'workloads'`. */
  workloads?: boolean;
  /** Default `api-only` (or `workloads` when `workloads: true`). */
  profile?: Profile;
  /** Cluster name (DNS label). Default: `c-<random>`. */
  name?: string;
  /**
   * Data dir of the cluster (must not exist or be empty). Default: a new
   * directory `flotilla-<name>-XXXX` under `baseDir` (default os.tmpdir()).
   */
  dir?: string;
  baseDir?: string;
  /**
   * Leave the cluster running after this process exits (the CLI's `up`): no
   * exit handlers, no watchdog. stop() (or `cli.ts down`) still removes it.
   */
  persistent?: boolean;
  /** Number of kwok fake nodes in the workloads profile. Default 1. */
  nodes?: number;
  /** Time allowed for the cluster to become ready. Default 180 s (loaded 2-core machine). */
  readyTimeoutMs?: number;
  /** Extra command-line flags per component (e.g. to tune, or to make one fail in a test). */
  extraArgs?: Partial<Record<ComponentName, string[]>>;
  /** Fixed ports instead of free ones (a busy fixed port gives PortInUse). */
  ports?: Partial<Ports>;
  /** Passed to ensureTools() when binaries must be built first. */
  build?: EnsureOptions;
}

export interface Ports {
  etcdClient: number;
  etcdPeer: number;
  apiserver: number;
}

export interface ProcessInfo {
  component: string;
  pid: number;
  pgid: number;
  logFile: string;
}

export interface KubeconfigObject {
  apiVersion: 'v1';
  kind: 'Config';
  clusters: { name: string; cluster: { server: string; 'certificate-authority-data': string } }[];
  users: { name: string; user: { 'client-certificate-data': string; 'client-key-data': string } }[];
  contexts: { name: string; context: { cluster: string; user: string } }[];
  'current-context': string;
}

export interface Cluster {
  name: string;
  profile: Profile;
  /** Data dir: certificates, etcd data, kubeconfigs and `<component>.log` files. */
  dir: string;
  /** API server URL, e.g. https://127.0.0.1:41234. */
  server: string;
  /** Admin kubeconfig (system:masters), credentials embedded. */
  kubeconfigPath: string;
  kubeconfig: string;
  kubeconfigObject: KubeconfigObject;
  /** PEMs of the admin identity, for raw HTTPS requests. */
  credentials: { ca: string; cert: string; key: string };
  /** Names of the kwok fake nodes (workloads profile). */
  nodes: string[];
  ports: Ports;
  processes: ProcessInfo[];
  /** Seconds from the call to ready. */
  startSeconds: number;
  /** Seconds from the call until each readiness step passed (etcd, kube-apiserver, nodes, controller-manager). */
  phases: Record<string, number>;
  /** Kills every process of the cluster and removes its data dir. Idempotent. */
  stop(): Promise<void>;
}

/** The persisted form of a cluster (`<dir>/state.json`), used by the CLI's status/down. */
export interface ClusterState {
  name: string;
  profile: Profile;
  dir: string;
  server: string;
  kubeconfigPath: string;
  ports: Ports;
  processes: ProcessInfo[];
  nodes: string[];
  startedAt: string;
  startSeconds: number;
  ownerPid: number;
  persistent: boolean;
}

const SERVICE_ACCOUNT_ISSUER = 'https://kubernetes.default.svc.cluster.local';

/**
 * Environment of the Go components. The Go runtime would otherwise size itself
 * for a big host; these are small, short-lived clusters on a 2-core machine.
 * GOGC=50 trades a little CPU for ~30% less heap; GOMEMLIMIT is a soft cap that
 * makes the GC work harder before the heap grows past it (never a hard limit).
 */
const COMPONENT_ENV: Record<ComponentName, Record<string, string>> = {
  etcd: { GOGC: '50', GOMEMLIMIT: '128MiB' },
  'kube-apiserver': { GOGC: '50', GOMEMLIMIT: '384MiB' },
  'kube-controller-manager': { GOGC: '50', GOMEMLIMIT: '128MiB' },
  'kube-scheduler': { GOGC: '50', GOMEMLIMIT: '96MiB' },
  kwok: { GOGC: '50', GOMEMLIMIT: '96MiB' },
};

/**
 * Controllers the test clusters don't need: there are no real nodes, clouds,
 * volumes or bootstrap tokens. Leaving them out saves memory, API traffic and
 * start time. Notably the node-lifecycle controller is off, so kwok's fake
 * nodes are never tainted unreachable; namespace, garbage-collector,
 * serviceaccount(-token), deployment/replicaset/…, endpoint(slice), job/cronjob,
 * csr signing/approving, clusterrole-aggregation etc. stay on.
 */
const DISABLED_CONTROLLERS = [
  'node-ipam-controller',
  'node-lifecycle-controller',
  'taint-eviction-controller',
  'device-taint-eviction-controller',
  'ttl-controller',
  'persistentvolume-attach-detach-controller',
  'persistentvolume-expander-controller',
  'ephemeral-volume-controller',
  'resourceclaim-controller',
];

// ---------------------------------------------------------------------------

export async function startClusters(count: number, options: StartOptions = {}): Promise<Cluster[]> {
  if (!Number.isInteger(count) || count < 1) {
    throw new ClusterStartError('InvalidOptions', options.name ?? '?', `count must be a positive integer, got ${count}`);
  }
  const prefix = options.name ?? `c-${randomBytes(3).toString('hex')}`;
  // Build once up front so that concurrent starts don't all wait on the lock.
  await ensureTools(CLUSTER_TOOLS[profileOf(options)], options.build);
  const results = await Promise.allSettled(
    Array.from({ length: count }, (_, i) => startCluster({ ...options, name: count === 1 ? prefix : `${prefix}-${i + 1}`, dir: undefined })),
  );
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  const started = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  if (failed) {
    await Promise.all(started.map((c) => c.stop()));
    throw failed.reason;
  }
  return started;
}

export async function stopClusters(clusters: readonly Cluster[]): Promise<void> {
  await Promise.all(clusters.map((c) => c.stop()));
}

function profileOf(options: StartOptions): Profile {
  return options.profile ?? (options.workloads ? 'workloads' : 'api-only');
}

export async function startCluster(options: StartOptions = {}): Promise<Cluster> {
  const t0 = Date.now();
  const profile = profileOf(options);
  const name = options.name ?? `c-${randomBytes(3).toString('hex')}`;
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name)) {
    throw new ClusterStartError('InvalidOptions', name, 'the name must be a DNS label (a-z, 0-9, -)');
  }
  await ensureTools(CLUSTER_TOOLS[profile], options.build);

  let lastError: unknown;
  // A second attempt only for a port grabbed by someone else between picking and binding.
  for (let attempt = 1; attempt <= 2; attempt++) {
    const dir = makeDataDir(name, options);
    try {
      return await startOnce(name, profile, dir, options, t0);
    } catch (err) {
      lastError = err;
      // Retry only when the busy port was one we picked (fixed ports stay busy).
      const fixed = Object.keys(options.ports ?? {}).length > 0;
      if (!(err instanceof ClusterStartError) || err.reason !== 'PortInUse' || fixed) break;
    }
  }
  throw lastError;
}

function makeDataDir(name: string, options: StartOptions): string {
  if (options.dir) {
    if (fs.existsSync(options.dir) && fs.readdirSync(options.dir).length > 0) {
      throw new ClusterStartError('InvalidOptions', name, `data dir ${options.dir} already exists and is not empty (is the cluster already up?)`);
    }
    fs.mkdirSync(options.dir, { recursive: true, mode: 0o700 });
    return path.resolve(options.dir);
  }
  const base = options.baseDir ?? os.tmpdir();
  fs.mkdirSync(base, { recursive: true });
  return fs.mkdtempSync(path.join(base, `flotilla-${name}-`));
}

async function startOnce(name: string, profile: Profile, dir: string, options: StartOptions, t0: number): Promise<Cluster> {
  const persistent = options.persistent ?? false;
  const procs: ComponentProcess[] = [];
  const trackId = `${name}@${dir}`;
  // Tracked for cleanup on exit/signals while starting; a persistent cluster
  // (CLI `up`) is untracked once ready so that it outlives this process.
  const tracked = trackForCleanup(trackId, dir, true);
  const pgidsFile = path.join(dir, 'pgids');
  let watchdog: ComponentProcess | undefined;
  const deadline = Date.now() + (options.readyTimeoutMs ?? 180_000);

  const bin = binDir();
  const start = (component: ComponentName, args: string[]): ComponentProcess => {
    const proc = spawnComponent({
      name: component,
      bin: path.join(bin, component),
      args: [...args, ...(options.extraArgs?.[component] ?? [])],
      logDir: dir,
      env: { ...process.env, ...COMPONENT_ENV[component] },
    });
    procs.push(proc);
    tracked.pgids.add(proc.pgid);
    fs.appendFileSync(pgidsFile, `${proc.pgid}\n`);
    return proc;
  };
  const cleanup = async (): Promise<void> => {
    const groups = procs.map((p) => p.pgid);
    if (watchdog) groups.push(watchdog.pgid);
    await killGroupsAndWait(groups);
    if (process.env.FLOTILLA_KEEP_FAILED !== '1') fs.rmSync(dir, { recursive: true, force: true });
    untrack(trackId);
  };

  try {
    fs.writeFileSync(pgidsFile, '');
    if (!persistent) {
      watchdog = spawnWatchdog(process.pid, dir, true);
      tracked.pgids.add(watchdog.pgid);
    }
    const [pki, ports] = await Promise.all([
      createPki(path.join(dir, 'pki'), name).catch((err: unknown) => {
        throw new ClusterStartError('CertificateFailed', name, (err as Error).message, { cause: err });
      }),
      pickPorts(options.ports),
    ]);
    const server = `https://127.0.0.1:${ports.apiserver}`;
    const read = (f: string): string => fs.readFileSync(f, 'utf8');
    const caPem = read(pki.caCert);
    const kubeconfigs: Record<'admin' | 'controller-manager' | 'scheduler', string> = {
      admin: path.join(dir, 'kubeconfig'),
      'controller-manager': path.join(dir, 'controller-manager.kubeconfig'),
      scheduler: path.join(dir, 'scheduler.kubeconfig'),
    };
    for (const [who, file] of Object.entries(kubeconfigs) as [keyof typeof kubeconfigs, string][]) {
      const client = pki.clients[who];
      fs.writeFileSync(
        file,
        kubeconfigYaml({ name, server, caCertPem: caPem, certPem: read(client.cert), keyPem: read(client.key), user: `${name}-${who}` }),
        { mode: 0o600 },
      );
    }
    const credentials = { ca: caPem, cert: read(pki.clients.admin.cert), key: read(pki.clients.admin.key) };
    const api = new ApiClient(server, credentials);
    const waitCtx: WaitContext = { cluster: name, procs, deadline };
    const phases: Record<string, number> = {};
    const mark = (phase: string): void => {
      phases[phase] = (Date.now() - t0) / 1000;
    };
    mark('pki');

    // etcd first: the apiserver gives up if its storage is not reachable at start.
    start('etcd', etcdArgs(dir, ports));
    await waitFor(waitCtx, 'etcd to answer /health', 'etcd', async () => {
      const res = await httpGet(`http://127.0.0.1:${ports.etcdClient}/health`);
      return res.status === 200 && /"health":\s*"true"/.test(res.body);
    });
    mark('etcd');

    start('kube-apiserver', apiserverArgs(dir, pki, ports));
    await waitFor(waitCtx, 'kube-apiserver /readyz', 'kube-apiserver', async () => (await api.get('/readyz')).status === 200);
    mark('kube-apiserver');

    // The apiserver is ready: the rest can start together.
    start('kube-controller-manager', controllerManagerArgs(pki, kubeconfigs['controller-manager']));
    const nodes: string[] = [];
    if (profile === 'workloads') {
      start('kube-scheduler', schedulerArgs(kubeconfigs.scheduler));
      start('kwok', kwokArgs(kubeconfigs.admin));
      const count = options.nodes ?? 1;
      for (let i = 0; i < count; i++) {
        const node = `kwok-node-${i}`;
        const res = await api.request('POST', '/api/v1/nodes', fakeNode(node));
        if (res.status !== 201) throw new Error(`creating fake node ${node}: HTTP ${res.status} ${res.body}`);
        nodes.push(node);
      }
      for (const node of nodes) {
        await waitFor(waitCtx, `fake node ${node} to be Ready (kwok)`, 'kwok', async () => {
          const res = await api.get(`/api/v1/nodes/${node}`);
          if (res.status !== 200) return false;
          const status = (JSON.parse(res.body) as { status?: { conditions?: { type: string; status: string }[] } }).status;
          return status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
        });
      }
      mark('nodes');
    }
    // The default service account is created by the controller-manager: proof it runs.
    await waitFor(
      waitCtx,
      'the controller-manager to create the default service account',
      'kube-controller-manager',
      async () => (await api.get('/api/v1/namespaces/default/serviceaccounts/default')).status === 200,
    );
    mark('kube-controller-manager');

    const startSeconds = (Date.now() - t0) / 1000;
    const processes: ProcessInfo[] = procs.map((p) => ({ component: p.name, pid: p.pid, pgid: p.pgid, logFile: p.logFile }));
    const state: ClusterState = {
      name,
      profile,
      dir,
      server,
      kubeconfigPath: kubeconfigs.admin,
      ports,
      processes,
      nodes,
      startedAt: new Date(t0).toISOString(),
      startSeconds,
      ownerPid: process.pid,
      persistent,
    };
    fs.writeFileSync(path.join(dir, 'state.json'), JSON.stringify(state, null, 2));
    if (persistent) untrack(trackId);

    const kubeconfig = read(kubeconfigs.admin);
    let stopping: Promise<void> | undefined;
    return {
      name,
      profile,
      dir,
      server,
      kubeconfigPath: kubeconfigs.admin,
      kubeconfig,
      kubeconfigObject: kubeconfigObject(name, server, credentials),
      credentials,
      nodes,
      ports,
      processes,
      startSeconds,
      phases,
      stop: () => (stopping ??= cleanupForStop()),
    };

    async function cleanupForStop(): Promise<void> {
      const groups = procs.map((p) => p.pgid);
      if (watchdog) groups.push(watchdog.pgid);
      const alive = await killGroupsAndWait(groups);
      fs.rmSync(dir, { recursive: true, force: true });
      untrack(trackId);
      if (alive.length > 0) throw new Error(`cluster ${name}: process groups ${alive.join(', ')} survived SIGKILL`);
    }
  } catch (err) {
    await cleanup();
    throw classify(err, name);
  }
}

/**
 * Stops a cluster from its data dir alone (another process started it, e.g.
 * the CLI's `up`): kills the process groups listed in `pgids`/state.json and
 * removes the dir. Returns the groups that would not die (normally none).
 */
export async function stopClusterDir(dir: string): Promise<number[]> {
  const groups = new Set<number>();
  try {
    for (const line of fs.readFileSync(path.join(dir, 'pgids'), 'utf8').split('\n')) {
      const g = Number(line.trim());
      if (Number.isInteger(g) && g > 0) groups.add(g);
    }
  } catch {
    // no pgids file: nothing was started
  }
  const state = readClusterState(dir);
  for (const p of state?.processes ?? []) groups.add(p.pgid);
  const alive = await killGroupsAndWait([...groups]);
  fs.rmSync(dir, { recursive: true, force: true });
  return alive;
}

export function readClusterState(dir: string): ClusterState | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, 'state.json'), 'utf8')) as ClusterState;
  } catch {
    return undefined;
  }
}

function classify(err: unknown, name: string): unknown {
  if (err instanceof ClusterStartError) return err;
  return new ClusterStartError('ReadyTimeout', name, `start failed: ${(err as Error)?.message ?? String(err)}`, { cause: err });
}

// ---------------------------------------------------------------------------
// Component command lines. Tuned for small, fast, throwaway clusters.

function etcdArgs(dir: string, ports: Ports): string[] {
  const client = `http://127.0.0.1:${ports.etcdClient}`;
  const peer = `http://127.0.0.1:${ports.etcdPeer}`;
  return [
    '--name=default',
    `--data-dir=${path.join(dir, 'etcd')}`,
    `--listen-client-urls=${client}`,
    `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=default=${peer}`,
    // Throwaway data: never wait for the disk (fsync dominates write latency).
    '--unsafe-no-fsync',
    // Small quota: a test cluster never holds much; fail fast if something floods it.
    '--quota-backend-bytes=268435456',
    // Fewer raft entries kept in memory between snapshots (default 10000).
    '--snapshot-count=2000',
    '--log-level=warn',
  ];
}

function apiserverArgs(dir: string, pki: ClusterPki, ports: Ports): string[] {
  return [
    `--etcd-servers=http://127.0.0.1:${ports.etcdClient}`,
    '--bind-address=127.0.0.1',
    '--advertise-address=127.0.0.1',
    // The `kubernetes` service's endpoints can't point at a loopback address
    // (the lease reconciler refuses to start): no endpoint reconciler.
    '--endpoint-reconciler-type=none',
    `--secure-port=${ports.apiserver}`,
    `--cert-dir=${path.join(dir, 'pki')}`,
    `--tls-cert-file=${pki.servingCert}`,
    `--tls-private-key-file=${pki.servingKey}`,
    `--client-ca-file=${pki.caCert}`,
    `--service-account-issuer=${SERVICE_ACCOUNT_ISSUER}`,
    `--service-account-key-file=${pki.saPub}`,
    `--service-account-signing-key-file=${pki.saKey}`,
    '--service-cluster-ip-range=10.96.0.0/16',
    // RBAC like a real cluster: the agent chart's RBAC is tested against it.
    '--authorization-mode=RBAC',
    '--allow-privileged=true',
    // This admission plugin taints every new node `not-ready` until the
    // node-lifecycle controller clears it; that controller is off (no kubelets
    // to watch), so kwok's fake nodes would never take pods.
    '--disable-admission-plugins=TaintNodesByCondition',
    // API Priority and Fairness: its bootstrap objects and queues cost start
    // time and memory, and a test cluster has no competing tenants.
    '--enable-priority-and-fairness=false',
    '--profiling=false',
    '--event-ttl=15m',
  ];
}

function controllerManagerArgs(pki: ClusterPki, kubeconfig: string): string[] {
  return [
    `--kubeconfig=${kubeconfig}`,
    `--service-account-private-key-file=${pki.saKey}`,
    `--root-ca-file=${pki.caCert}`,
    `--cluster-signing-cert-file=${pki.caCert}`,
    `--cluster-signing-key-file=${pki.caKey}`,
    // One service account per controller, as in real clusters (RBAC-checked).
    '--use-service-account-credentials=true',
    `--controllers=*,${DISABLED_CONTROLLERS.map((c) => `-${c}`).join(',')}`,
    '--leader-elect=false',
    // No metrics/health endpoint: one port less, no delegated-auth lookups.
    '--secure-port=0',
    // Default client rate limit (20 qps) slows namespace deletion and GC.
    '--kube-api-qps=200',
    '--kube-api-burst=400',
  ];
}

function schedulerArgs(kubeconfig: string): string[] {
  return [
    `--kubeconfig=${kubeconfig}`,
    '--leader-elect=false',
    '--secure-port=0',
    '--kube-api-qps=200',
    '--kube-api-burst=400',
  ];
}

function kwokArgs(kubeconfig: string): string[] {
  return [
    `--kubeconfig=${kubeconfig}`,
    // kwok's default "fast" stages (node initialise + heartbeat, pod ready/complete/delete).
    `--config=${kwokStagesPath()}`,
    '--manage-all-nodes=false',
    '--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake',
    '--node-ip=127.0.0.1',
    '--cidr=10.244.0.0/16',
  ];
}

function fakeNode(name: string): object {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      annotations: { 'kwok.x-k8s.io/node': 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
      labels: {
        type: 'kwok',
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'node-role.kubernetes.io/agent': '',
      },
    },
    spec: {},
  };
}

function kubeconfigObject(name: string, server: string, creds: { ca: string; cert: string; key: string }): KubeconfigObject {
  const b64 = (s: string): string => Buffer.from(s).toString('base64');
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server, 'certificate-authority-data': b64(creds.ca) } }],
    users: [{ name: `${name}-admin`, user: { 'client-certificate-data': b64(creds.cert), 'client-key-data': b64(creds.key) } }],
    contexts: [{ name, context: { cluster: name, user: `${name}-admin` } }],
    'current-context': name,
  };
}

// ---------------------------------------------------------------------------
// Waiting, with crash detection.

interface WaitContext {
  cluster: string;
  procs: ComponentProcess[];
  deadline: number;
}

const PORT_IN_USE = /address already in use/i;

/** Polls `check` until true; fails fast when a component exits, or at the deadline naming `suspect`. */
async function waitFor(ctx: WaitContext, what: string, suspectName: ComponentName, check: () => Promise<boolean>): Promise<void> {
  let lastError = '';
  for (;;) {
    const dead = ctx.procs.find((p) => p.exitInfo);
    if (dead) {
      // Give the log a moment to be flushed by the dying process (already exited: just read it).
      const tail = dead.logTail(30);
      const reason: StartFailureReason = PORT_IN_USE.test(tail) ? 'PortInUse' : 'ComponentCrashed';
      const how = dead.exitInfo?.signal ? `was killed by ${dead.exitInfo.signal}` : `exited with code ${dead.exitInfo?.code}`;
      throw new ClusterStartError(reason, ctx.cluster, `${dead.name} ${how} while waiting for ${what}`, {
        component: dead.name,
        logFile: dead.logFile,
        logTail: tail,
      });
    }
    try {
      // A component that exits ends the wait at once, even if the check
      // itself hangs (e.g. a busy port held by a server that never answers).
      const anyExit = Promise.race(ctx.procs.map((p) => p.exited)).then(() => false);
      if (await Promise.race([check(), anyExit])) return;
      lastError = '';
    } catch (err) {
      lastError = (err as Error).message;
    }
    if (Date.now() > ctx.deadline) {
      const suspect = ctx.procs.find((p) => p.name === suspectName) ?? ctx.procs[ctx.procs.length - 1];
      throw new ClusterStartError(
        'ReadyTimeout',
        ctx.cluster,
        `timed out waiting for ${what}${lastError ? ` (last error: ${lastError})` : ''}`,
        suspect ? { component: suspect.name, logFile: suspect.logFile, logTail: suspect.logTail(30) } : {},
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

// ---------------------------------------------------------------------------
// Ports.

const handedOut = new Set<number>();

/**
 * The kernel's ephemeral range: outgoing connections (the apiserver's to etcd,
 * clients' to apiservers …) take their local ports from it, so a port picked
 * there could be taken by a connection before the component binds it.
 */
function ephemeralRange(): [number, number] {
  try {
    const [lo, hi] = fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (lo && hi) return [lo, hi];
  } catch {
    // not Linux
  }
  return [32768, 60999];
}

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/** A free loopback port below the ephemeral range (20000–lo), never one handed out before by this process. */
async function freePort(): Promise<number> {
  const [lo] = ephemeralRange();
  const min = 20000;
  const max = lo > min + 1000 ? lo - 1 : 65535;
  for (let i = 0; i < 200; i++) {
    const port = min + Math.floor(Math.random() * (max - min + 1));
    if (handedOut.has(port)) continue;
    if (await canBind(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error(`no free port found in ${min}-${max}`);
}

async function pickPorts(fixed: Partial<Ports> = {}): Promise<Ports> {
  return {
    etcdClient: fixed.etcdClient ?? (await freePort()),
    etcdPeer: fixed.etcdPeer ?? (await freePort()),
    apiserver: fixed.apiserver ?? (await freePort()),
  };
}

// ---------------------------------------------------------------------------
// Minimal HTTP(S) clients (the harness itself needs no npm dependency).

export interface HttpResult {
  status: number;
  body: string;
}

function httpGet(url: string): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url} timed out`)));
    req.on('error', reject);
  });
}

/** Admin-authenticated requests to a cluster's API server. */
export class ApiClient {
  readonly server: string;
  readonly creds: { ca: string; cert: string; key: string };

  constructor(server: string, creds: { ca: string; cert: string; key: string }) {
    this.server = server;
    this.creds = creds;
  }

  get(pathname: string): Promise<HttpResult> {
    return this.request('GET', pathname);
  }

  request(method: string, pathname: string, body?: unknown, contentType = 'application/json'): Promise<HttpResult> {
    const url = new URL(pathname, this.server);
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = https.request(
        url,
        {
          method,
          ca: this.creds.ca,
          cert: this.creds.cert,
          key: this.creds.key,
          agent: false,
          timeout: 10_000,
          headers: payload === undefined ? {} : { 'content-type': contentType, 'content-length': Buffer.byteLength(payload) },
        },
        (res) => {
          let data = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (data += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data }));
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${method} ${url} timed out`)));
      req.on('error', reject);
      req.end(payload);
    });
  }
}
