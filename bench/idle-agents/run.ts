/**
 * Idle-agents benchmark: N idle agents connected to one hub process.
 *
 *   sh bench/idle-agents/run.sh [--clusters 1000,5000] [options]   (raises ulimit -n, then runs this file)
 *   node bench/idle-agents/run.ts [--clusters 1000,5000] [options]
 *
 * For a baseline with 0 clusters and for each N, on a fresh database and a
 * fresh hub process (built hub/dist/main.js, TLS on, default heartbeat
 * interval): creates one registration token, starts the simulated agents in
 * separate worker processes (agents.ts: one connection, Register once, one
 * Watch stream and a Heartbeat at the announced interval (none) per agent), waits
 * until all N streams are open, lets the hub settle, then over an idle window
 * samples the hub's VmRSS (median) and its CPU time (utime+stime from
 * /proc/<pid>/stat, so other load on the machine does not count). It checks
 * the streams really are open (the hub's flotilla_agent_streams_open gauge,
 * its socket count, and N clusters `online` in the database), prints a
 * markdown table and writes it to bench/idle-agents/RESULTS.md.
 *
 * Options:
 *   --clusters LIST      cluster counts, comma-separated (default 1000,5000); a 0 baseline is always run first
 *   --settle S           idle seconds after the last stream opened, before measuring (default 60)
 *   --min-age S          and not before the hub has run S seconds (default 180: an idle hub gives back ~35 MiB
 *                        about 110 s after start; every row must be measured past that)
 *   --window S           measurement window in seconds (default 60)
 *   --sample S           RSS sample period in seconds (default 1)
 *   --workers K          agent worker processes per scenario (default: one per 1,250 agents, at most 8)
 *   --concurrency C      Register/connect calls in flight, over all workers (default 32)
 *   --hub-env K=V        extra hub environment variable (repeatable), e.g. FLOTILLA_HEARTBEAT_INTERVAL_SECONDS=60
 *   --client-option K=V  extra grpc-js channel option for every agent (repeatable), e.g. grpc.keepalive_time_ms=60000
 *   --heap-snapshots DIR write a hub heap snapshot at the end of each window into DIR
 *   --cpu-profile DIR    CPU-profile the hub over each window (inspector) into DIR and print a summary
 *   --gc-after           after the window, force two full GCs in the hub (inspector) and report RSS again:
 *                        the live memory, without the garbage and slack that depend on when V8 last collected
 *   --restart-hub        once all agents are connected, restart the hub (same database and ports) and measure
 *                        after the agents reconnected: no registration burst in the measured process
 *   --heartbeat-every S  agents call Heartbeat every S seconds although the hub announces none (variant: agents
 *                        before heartbeat-free streams, e.g. 30; real agents follow SessionInfo, i.e. none)
 *   --insecure           plaintext gRPC instead of TLS (variant, to isolate the cost of TLS)
 *   --agents-per-connection K  K agents share one connection (variant: per-stream instead of per-connection
 *                        cost, as behind a proxy that multiplexes agents' streams; real agents: 1)
 *   --target floor       instead of the hub, measure floor-server.ts: bare grpc-js with the hub's server options
 *                        and TLS, no NestJS/Prisma/Redis (what the transport alone costs per connection)
 *   --floor-option K=V   extra grpc-js server option of the floor server (repeatable), e.g. grpc.enable_channelz=0
 *   --results FILE       where to write the results (default bench/idle-agents/RESULTS.md; "-" = do not write)
 */
import { fork, execFileSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { query } from '../../test/support/database.ts';
import { startHub, type TestHub } from '../../test/support/hub.ts';
import { repoPath } from '../../test/support/paths.ts';
import { makeServerTls } from '../../test/support/tls.ts';
import type { WorkerConfig, WorkerStats } from './agents.ts';
import { Inspector, summarize, type CpuProfile } from './profile.ts';
import { cpuSeconds, findHubPid, procStatus } from '../support/proc.ts';

// ---------------------------------------------------------------- options

const { values: opts } = parseArgs({
  options: {
    clusters: { type: 'string', default: '1000,5000' },
    settle: { type: 'string', default: '60' },
    'min-age': { type: 'string', default: '180' },
    window: { type: 'string', default: '60' },
    sample: { type: 'string', default: '1' },
    workers: { type: 'string' },
    concurrency: { type: 'string', default: '32' },
    'hub-env': { type: 'string', multiple: true, default: [] },
    'client-option': { type: 'string', multiple: true, default: [] },
    'heap-snapshots': { type: 'string' },
    'cpu-profile': { type: 'string' },
    'gc-after': { type: 'boolean', default: false },
    'restart-hub': { type: 'boolean', default: false },
    'heartbeat-every': { type: 'string', default: '0' },
    insecure: { type: 'boolean', default: false },
    'agents-per-connection': { type: 'string', default: '1' },
    target: { type: 'string', default: 'hub' },
    'floor-option': { type: 'string', multiple: true, default: [] },
    results: { type: 'string', default: repoPath('bench/idle-agents/RESULTS.md') },
  },
  strict: true,
});

const clusterCounts = [0, ...opts.clusters.split(',').map((s) => Number(s.trim())).filter((n) => n > 0)];
const settleSeconds = Number(opts.settle);
const windowSeconds = Number(opts.window);
const sampleSeconds = Number(opts.sample);
const concurrency = Number(opts.concurrency);
const keyValues = (list: string[]) => Object.fromEntries(list.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
const hubEnv: Record<string, string> = keyValues(opts['hub-env']);
const clientOptions: Record<string, string | number> = Object.fromEntries(
  Object.entries(keyValues(opts['client-option'])).map(([k, v]) => [k, /^-?\d+$/.test(v) ? Number(v) : v]),
);
const floorOptions: Record<string, string | number> = Object.fromEntries(
  Object.entries(keyValues(opts['floor-option'])).map(([k, v]) => [k, /^-?\d+$/.test(v) ? Number(v) : v]),
);
if (opts.target !== 'hub' && opts.target !== 'floor') throw new Error('--target is hub or floor');
const snapshotDir = opts['heap-snapshots'];
if (snapshotDir) {
  mkdirSync(snapshotDir, { recursive: true });
  hubEnv.NODE_OPTIONS = `${hubEnv.NODE_OPTIONS ?? ''} --heapsnapshot-signal=SIGUSR2 --diagnostic-dir=${snapshotDir}`.trim();
}
const profileDir = opts['cpu-profile'];
if (profileDir || opts['gc-after']) {
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  hubEnv.NODE_OPTIONS = `${hubEnv.NODE_OPTIONS ?? ''} --inspect=127.0.0.1:0`.trim();
}

/** Goals from the issue. */
const GOAL_KIB_PER_CLUSTER = 50;
const GOAL_CPU_PERCENT = 5;

// ---------------------------------------------------------------- /proc helpers




function openFiles(pid: number): { sockets: number; total: number } {
  let sockets = 0;
  let total = 0;
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    total++;
    try {
      if (readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith('socket:')) sockets++;
    } catch {
      // closed meanwhile
    }
  }
  return { sockets, total };
}

/**
 * Where the process's resident memory lives, from /proc/<pid>/smaps (KiB):
 * glibc's main arena ([heap]), glibc thread arenas (anonymous 64 MiB
 * reservations), other anonymous mappings (V8 heap pages, large malloc
 * blocks, thread stacks) and file-backed pages (the node binary, libraries).
 */
function memoryMap(pid: number): Record<string, number> {
  const out = { 'malloc main arena': 0, 'malloc thread arenas': 0, 'other anonymous (V8 heap, big blocks)': 0, 'file-backed': 0 };
  let kind: keyof typeof out = 'file-backed';
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const head = /^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ (\d+)\s*(.*)$/.exec(line);
    if (head) {
      const start = BigInt(`0x${head[1]}`);
      const size = BigInt(`0x${head[2]}`) - start;
      const name = head[4]!;
      if (name === '[heap]') kind = 'malloc main arena';
      else if (name.startsWith('/')) kind = 'file-backed';
      else if (start % (64n << 20n) === 0n && size <= 64n << 20n) kind = 'malloc thread arenas';
      else kind = 'other anonymous (V8 heap, big blocks)';
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss) out[kind] += Number(rss[1]);
  }
  return out;
}

/** The soft limit on open files of this process (children inherit it). */
function maxOpenFiles(): number {
  const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max open files'));
  return Number(line?.split(/\s+/)[3] ?? 0);
}


/** Changes when a teammate rebuilds the hub or proto while a row runs. */
function distStamp(): string {
  const files = opts.target === 'hub' ? ['hub/dist/main.js', 'hub/dist/gateway/agent.gateway.js', 'proto/dist/index.js'] : ['proto/dist/index.js'];
  return files
    .map((f) => {
      try {
        return String(statSync(repoPath(f)).mtimeMs);
      } catch {
        return 'missing';
      }
    })
    .join(',');
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const log = (message: string) => process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${message}\n`);

// ---------------------------------------------------------------- hub metrics

type Metrics = Map<string, number>;

async function scrape(hub: TestHub): Promise<Metrics> {
  const text = (await (await fetch(`${hub.httpUrl}/metrics`)).text()) as string;
  const metrics: Metrics = new Map();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const i = line.lastIndexOf(' ');
    metrics.set(line.slice(0, i), Number(line.slice(i + 1)));
  }
  return metrics;
}

const metric = (m: Metrics, key: string) => m.get(key) ?? 0;

// ---------------------------------------------------------------- what is measured: the hub, or the floor server

interface Counters {
  streamsOpen: number;
  /** Cumulative Heartbeat and Watch calls served. */
  heartbeats: number;
  watchCalls: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
}

interface Target {
  kind: 'hub' | 'floor';
  pid: number;
  grpcAddress: string;
  /** CA of the server certificate; '' = plaintext. */
  caPem: string;
  /** Registration token for the agents. */
  token: string;
  counters(): Promise<Counters>;
  /** Clusters by connection state in the database (hub only). */
  connections(): Promise<Record<string, number> | undefined>;
  /** Transactions committed in the hub's database so far (each autocommitted statement is one); hub only. */
  dbTransactions(): Promise<number>;
  restart(): Promise<void>;
  logs(): string;
  dispose(): Promise<void>;
}

async function startHubTarget(): Promise<Target> {
  const hub: TestHub = await startHub({ env: hubEnv, tls: !opts.insecure });
  const disposeHub = async () => {
    await hub.dispose();
    if (hub.tls) rmSync(hub.tls.dir, { recursive: true, force: true });
  };
  try {
    const created = await hub.api('POST', '/api/v1/registration-tokens', { description: 'idle-agents benchmark' });
    if (created.status !== 201) throw new Error(`creating a registration token: ${created.status} ${JSON.stringify(created.body)}`);
    const target: Target = {
      kind: 'hub',
      pid: findHubPid(),
      grpcAddress: hub.grpcAddress,
      caPem: hub.tls?.caPem ?? '',
      token: created.body.token as string,
      counters: async () => {
        const m = await scrape(hub);
        return {
          streamsOpen: metric(m, 'flotilla_agent_streams_open'),
          heartbeats: metric(m, 'flotilla_agent_calls_total{method="Heartbeat",result="ok"}'),
          watchCalls: metric(m, 'flotilla_agent_calls_total{method="Watch",result="ok"}'),
          heapUsed: metric(m, 'flotilla_hub_nodejs_heap_size_used_bytes'),
          heapTotal: metric(m, 'flotilla_hub_nodejs_heap_size_total_bytes'),
          external: metric(m, 'flotilla_hub_nodejs_external_memory_bytes'),
        };
      },
      dbTransactions: async () =>
        (await query<{ n: string }>(hub.database.url, 'SELECT xact_commit::text AS n FROM pg_stat_database WHERE datname = current_database()'))
          .map((r) => Number(r.n))[0] ?? NaN,
      connections: async () => {
        const rows = await query<{ connection: string; n: number }>(hub.database.url, 'SELECT connection::text AS connection, count(*)::int AS n FROM clusters GROUP BY 1');
        return Object.fromEntries(rows.map((r) => [r.connection, r.n]));
      },
      restart: async () => {
        await hub.stop();
        await hub.start();
        target.pid = findHubPid();
      },
      logs: () => hub.logs(),
      dispose: disposeHub,
    };
    return target;
  } catch (error) {
    await disposeHub();
    throw error;
  }
}

/** Asks a forked child to stop ({type:'stop'}), kills it after 10 s, and waits until it exited. */
async function stopChild(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  proc.send({ type: 'stop' });
  const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

async function startFloorTarget(): Promise<Target> {
  const tls = opts.insecure ? undefined : makeServerTls();
  let output = '';
  let proc: ChildProcess;
  let port = 0;
  let pending: ((c: Counters) => void) | undefined;
  const start = async () => {
    proc = fork(repoPath('bench/idle-agents/floor-server.ts'), [JSON.stringify({ certFile: tls?.certFile, keyFile: tls?.keyFile, options: floorOptions, port })], {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: { ...process.env, NODE_OPTIONS: '', ...hubEnv },
    });
    proc.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    proc.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    port = await new Promise<number>((resolve, reject) => {
      proc.on('message', (m: { type: string; port: number } & Counters) => {
        if (m.type === 'listening') resolve(m.port);
        if (m.type === 'stats') pending?.(m);
      });
      proc.once('exit', (code) => reject(new Error(`floor server exited with ${code}:\n${output.slice(-2000)}`)));
    });
  };
  const stop = () => stopChild(proc);
  await start();
  const target: Target = {
    kind: 'floor',
    pid: proc!.pid!,
    grpcAddress: `${tls ? 'localhost' : '127.0.0.1'}:${port}`,
    caPem: tls?.caPem ?? '',
    token: 'flt_reg_unused',
    counters: () =>
      new Promise<Counters>((resolve) => {
        pending = resolve;
        proc.send({ type: 'stats' });
      }),
    connections: async () => undefined,
    dbTransactions: async () => NaN,
    restart: async () => {
      await stop();
      await start();
      target.pid = proc.pid!;
    },
    logs: () => output,
    dispose: async () => {
      await stop();
      if (tls) rmSync(tls.dir, { recursive: true, force: true });
    },
  };
  return target;
}

// ---------------------------------------------------------------- agent workers

interface Workers {
  procs: ChildProcess[];
  latest: Map<number, WorkerStats>;
  stats(): Promise<WorkerStats[]>;
  stop(): Promise<void>;
}

function startWorkers(target: Target, n: number): Workers {
  const count = Number(opts.workers ?? Math.min(8, Math.ceil(n / 1250)));
  const perWorker = Math.ceil(n / count);
  const prefix = `bench-${randomBytes(3).toString('hex')}`;
  const latest = new Map<number, WorkerStats>();
  const pending = new Map<number, (s: WorkerStats) => void>();
  const procs: ChildProcess[] = [];
  const stoppingWorkers = new Set<ChildProcess>();
  for (let w = 0; w < count; w++) {
    const first = w * perWorker;
    const config: WorkerConfig = {
      worker: w,
      grpcAddress: target.grpcAddress,
      caPem: target.caPem,
      registrationToken: target.token,
      identityPrefix: prefix,
      first,
      count: Math.max(0, Math.min(perWorker, n - first)),
      concurrency: Math.max(1, Math.round(concurrency / count)),
      channelOptions: clientOptions,
      heartbeatEverySeconds: Number(opts['heartbeat-every']),
      agentsPerConnection: Number(opts['agents-per-connection']),
    };
    const proc = fork(repoPath('bench/idle-agents/agents.ts'), [JSON.stringify(config)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    proc.on('message', (message: { type: string; stats: WorkerStats }) => {
      latest.set(w, message.stats);
      if (message.type === 'stats') {
        pending.get(w)?.(message.stats);
        pending.delete(w);
      }
    });
    proc.on('exit', (code, signal) => {
      if (!stoppingWorkers.has(proc)) log(`agent worker ${w} exited unexpectedly (${code ?? signal})`);
    });
    procs.push(proc);
  }
  return {
    procs,
    latest,
    stats: () =>
      Promise.all(
        procs.map(
          (proc, w) =>
            new Promise<WorkerStats>((resolve) => {
              pending.set(w, resolve);
              proc.send({ type: 'stats' });
            }),
        ),
      ),
    stop: async () => {
      await Promise.all(
        procs.map(async (proc) => {
          stoppingWorkers.add(proc);
          await stopChild(proc);
        }),
      );
    },
  };
}

const sum = (stats: WorkerStats[], key: 'registered' | 'connected' | 'registerFailures' | 'heartbeatsOk' | 'heartbeatsFailed' | 'streamEnds' | 'reconnects' | 'rssKiB') =>
  stats.reduce((total, s) => total + s[key], 0);

// ---------------------------------------------------------------- one scenario

interface Result {
  clusters: number;
  streamsOpen: number;
  online: number;
  connections: Record<string, number>;
  hubSockets: number;
  rssKiB: number;
  rssMinKiB: number;
  rssMaxKiB: number;
  rssAnonKiB: number;
  /** VmRSS every ~10 s of the window, MiB. */
  rssTraceMiB: number[];
  heapUsedKiB: number;
  heapTotalKiB: number;
  externalKiB: number;
  cpuPercent: number;
  windowSeconds: number;
  connectSeconds: number;
  heartbeatsInWindow: number;
  heartbeatIntervals: Record<string, number>;
  watchCallsInWindow: number;
  /** Database transactions per second during the window (pg_stat_database.xact_commit; hub only). */
  dbTransactionsPerSecond: number;
  agentStreamEnds: number;
  agentHeartbeatFailures: number;
  agentHeartbeatsOk: number;
  registerFailures: number;
  workerCount: number;
  workerRssKiB: number;
  /** hub/dist or proto/dist changed while the row ran. */
  rebuiltDuringRow: boolean;
  /** Resident KiB by kind of mapping at the end of the window. */
  memoryMap: Record<string, number>;
  /** After two forced full GCs (--gc-after). */
  afterGc?: { rssKiB: number; heapUsedKiB: number; memoryMap: Record<string, number> };
}

let current: { target?: Target; workers?: Workers } = {};
/** Set once a signal asked us to stop: the scenario then fails, and must not exit before the cleanup ends. */
let interrupted: Promise<void> | undefined;

async function cleanup(): Promise<void> {
  const { target, workers } = current;
  current = {};
  await workers?.stop().catch(() => undefined);
  await target?.dispose().catch((error: Error) => log(`cleanup: ${error.message}`));
}

async function scenario(n: number): Promise<Result> {
  log(`--- ${n} clusters: starting ${opts.target === 'hub' ? 'a hub on a fresh database' : 'the floor server'}`);
  const stamp = distStamp();
  const target = opts.target === 'hub' ? await startHubTarget() : await startFloorTarget();
  current.target = target;
  let startedAt = Date.now();

  let connectSeconds = 0;
  let workers: Workers | undefined;
  if (n > 0) {
    const started = Date.now();
    workers = startWorkers(target, n);
    current.workers = workers;
    let lastLog = 0;
    for (;;) {
      await sleep(500);
      const stats = [...workers.latest.values()];
      const connected = sum(stats, 'connected');
      if (Date.now() - lastLog > 10_000) {
        lastLog = Date.now();
        log(`${sum(stats, 'registered')} registered, ${connected} streams open (${((Date.now() - started) / 1000).toFixed(0)} s)`);
      }
      if (connected >= n && workers.latest.size === workers.procs.length) break;
      if (workers.procs.some((p) => p.exitCode !== null)) throw new Error('an agent worker died');
      if (Date.now() - started > Math.max(300_000, n * 200)) {
        throw new Error(`only ${connected} of ${n} streams open after ${(Date.now() - started) / 1000} s; last error: ${stats.map((s) => s.lastError).find(Boolean)}`);
      }
    }
    connectSeconds = (Date.now() - started) / 1000;
    log(`all ${n} streams open after ${connectSeconds.toFixed(1)} s (${workers.procs.length} worker processes)`);
    const errors = [...workers.latest.values()].map((s) => s.lastError).filter(Boolean);
    if (errors.length) log(`agent errors seen while starting (retried): ${[...new Set(errors)].join(' | ')}`);
    const failed = target.logs().split('\n').filter((l) => l.includes('Register failed'));
    if (failed.length) log(`the hub logged ${failed.length} "Register failed"; the first:\n${target.logs().slice(target.logs().indexOf(failed[0]!)).split('\n').slice(0, 12).join('\n')}`);
  }
  if (opts['restart-hub']) {
    log('restarting the hub (same database and ports)');
    await target.restart();
    const restarted = Date.now();
    startedAt = restarted;
    for (;;) {
      await sleep(1000);
      const open = (await target.counters()).streamsOpen;
      if (open >= n) break;
      if (Date.now() - restarted > 300_000) throw new Error(`only ${open} of ${n} streams open 300 s after the restart`);
    }
    log(`all ${n} agents reconnected after ${((Date.now() - restarted) / 1000).toFixed(1)} s`);
  }

  const settleMs = Math.max(settleSeconds * 1000, startedAt + Number(opts['min-age']) * 1000 - Date.now());
  log(`settling for ${(settleMs / 1000).toFixed(0)} s`);
  await sleep(settleMs);

  log(`measuring for ${windowSeconds} s`);
  const pid = target.pid;
  const before = await target.counters();
  const xact0 = await target.dbTransactions();
  const agentsBefore = workers ? await workers.stats() : [];
  const samples: { rss: number; anon: number }[] = [];
  const inspector = profileDir ? await Inspector.fromLogs(target.logs()) : undefined;
  if (inspector) {
    await inspector.send('Profiler.enable');
    await inspector.send('Profiler.setSamplingInterval', { interval: 1000 });
    await inspector.send('Profiler.start');
  }
  const cpu0 = cpuSeconds(pid);
  const t0 = process.hrtime.bigint();
  const end = Date.now() + windowSeconds * 1000;
  while (Date.now() < end) {
    const s = procStatus(pid);
    samples.push({ rss: s.VmRSS!, anon: s.RssAnon! });
    await sleep(Math.min(sampleSeconds * 1000, Math.max(0, end - Date.now())));
  }
  const cpu1 = cpuSeconds(pid);
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  if (inspector) {
    const { profile } = await inspector.send<{ profile: CpuProfile }>('Profiler.stop');
    inspector.close();
    const file = `${profileDir}/hub-${n}.cpuprofile`;
    writeFileSync(file, JSON.stringify(profile));
    log(`CPU profile of the window: ${file}\n${summarize(profile)}`);
  }
  const after = await target.counters();
  // pg_stat_database lags up to ~1 s behind (stats are flushed by backends), like the window's edges.
  const xact1 = await target.dbTransactions();
  const agentsAfter = workers ? await workers.stats() : [];
  const fds = openFiles(pid);
  const map = memoryMap(pid);
  let afterGc: { rssKiB: number; heapUsedKiB: number; memoryMap: Record<string, number> } | undefined;
  if (opts['gc-after']) {
    const gc = await Inspector.fromLogs(target.logs());
    await gc.send('HeapProfiler.enable');
    await gc.send('HeapProfiler.collectGarbage');
    await gc.send('HeapProfiler.collectGarbage');
    const usage = await gc.send<{ result: { value: number } }>('Runtime.evaluate', { expression: 'process.memoryUsage().heapUsed', returnByValue: true }).catch(() => undefined);
    gc.close();
    await sleep(5000);
    afterGc = { rssKiB: procStatus(pid).VmRSS!, heapUsedKiB: (usage?.result.value ?? NaN) / 1024, memoryMap: memoryMap(pid) };
    log(`after two forced full GCs: RSS ${mib(afterGc.rssKiB)} MiB, V8 heap used ${mib(afterGc.heapUsedKiB)} MiB`);
  }
  if (snapshotDir) {
    log(`writing a heap snapshot into ${snapshotDir}`);
    process.kill(pid, 'SIGUSR2');
    await sleep(Math.max(5000, n * 5));
  }

  const connections = (await target.connections()) ?? {};
  const intervals: Record<string, number> = {};
  for (const s of agentsAfter) for (const [k, v] of Object.entries(s.intervals)) if (v) intervals[k] = (intervals[k] ?? 0) + v;

  const result: Result = {
    clusters: n,
    streamsOpen: after.streamsOpen,
    online: target.kind === 'hub' ? (connections.online ?? 0) : NaN,
    connections,
    hubSockets: fds.sockets,
    rssKiB: median(samples.map((s) => s.rss)),
    rssMinKiB: Math.min(...samples.map((s) => s.rss)),
    rssMaxKiB: Math.max(...samples.map((s) => s.rss)),
    rssAnonKiB: median(samples.map((s) => s.anon)),
    rssTraceMiB: samples.filter((_, i) => i % Math.max(1, Math.round(10 / sampleSeconds)) === 0).map((s) => Math.round(s.rss / 1024)),
    heapUsedKiB: after.heapUsed / 1024,
    heapTotalKiB: after.heapTotal / 1024,
    externalKiB: after.external / 1024,
    cpuPercent: ((cpu1 - cpu0) / wall) * 100,
    windowSeconds: wall,
    connectSeconds,
    heartbeatsInWindow: after.heartbeats - before.heartbeats,
    heartbeatIntervals: intervals,
    watchCallsInWindow: after.watchCalls - before.watchCalls,
    dbTransactionsPerSecond: (xact1 - xact0) / wall,
    agentStreamEnds: sum(agentsAfter, 'streamEnds'),
    agentHeartbeatFailures: sum(agentsAfter, 'heartbeatsFailed') - sum(agentsBefore, 'heartbeatsFailed'),
    agentHeartbeatsOk: sum(agentsAfter, 'heartbeatsOk') - sum(agentsBefore, 'heartbeatsOk'),
    registerFailures: sum(agentsAfter, 'registerFailures'),
    workerCount: workers?.procs.length ?? 0,
    workerRssKiB: sum(agentsAfter, 'rssKiB'),
    rebuiltDuringRow: distStamp() !== stamp,
    memoryMap: map,
    afterGc,
  };
  if (result.rebuiltDuringRow) log('WARNING: hub/dist or proto/dist changed while this row ran (a rebuild); its numbers may be mixed');
  log(
    `RSS ${(result.rssKiB / 1024).toFixed(1)} MiB, CPU ${result.cpuPercent.toFixed(2)} %, ${result.streamsOpen} streams open, ` +
      `${result.online} online, ${result.hubSockets} hub sockets, ${result.heartbeatsInWindow} heartbeats in window`,
  );
  await cleanup();
  return result;
}

// ---------------------------------------------------------------- report

const mib = (kib: number) => (kib / 1024).toFixed(1);

function report(results: Result[]): string {
  const base = results.find((r) => r.clusters === 0)!;
  const lines: string[] = [];
  lines.push('| clusters | streams open (gauge) | online in DB | hub sockets | hub RSS, median (MiB) | RSS − baseline (MiB) | RSS per cluster (KiB) | V8 heap used / total (MiB) | hub CPU, % of one core | goal ≤ 50 KiB/cluster, < 5 % CPU |');
  lines.push('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const r of results) {
    const rebuilt = r.rebuiltDuringRow ? ' ⚠ hub rebuilt during this row' : '';
    const delta = r.rssKiB - base.rssKiB;
    const perCluster = r.clusters ? delta / r.clusters : NaN;
    const memOk = r.clusters === 0 || perCluster <= GOAL_KIB_PER_CLUSTER;
    const cpuOk = r.cpuPercent < GOAL_CPU_PERCENT;
    const verdict = r.clusters === 0 ? (cpuOk ? 'CPU met (baseline)' : 'CPU **not met** (baseline)') : memOk && cpuOk ? 'met' : `**not met** (${[memOk ? '' : 'memory', cpuOk ? '' : 'CPU'].filter(Boolean).join(', ')})`;
    lines.push(
      `| ${r.clusters.toLocaleString('en')} | ${r.streamsOpen} | ${Number.isNaN(r.online) ? '–' : r.online} | ${r.hubSockets} | ${mib(r.rssKiB)} | ${r.clusters ? mib(delta) : '–'} | ${r.clusters ? perCluster.toFixed(1) : '–'} | ${mib(r.heapUsedKiB)} / ${mib(r.heapTotalKiB)} | ${r.cpuPercent.toFixed(2)} | ${verdict}${rebuilt} |`,
    );
  }
  lines.push('');
  lines.push('| clusters | time to connect all (s) | RSS min–max in window (MiB) | RssAnon median (MiB) | external memory (MiB) | heartbeats in window: hub counter / agents ok / agents failed | Watch calls in window | hub DB transactions/s in window | agent stream ends | register retries | agent workers (RSS MiB) |');
  lines.push('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of results) {
    lines.push(
      `| ${r.clusters.toLocaleString('en')} | ${r.connectSeconds.toFixed(1)} | ${mib(r.rssMinKiB)}–${mib(r.rssMaxKiB)} | ${mib(r.rssAnonKiB)} | ${mib(r.externalKiB)} | ${r.heartbeatsInWindow} / ${r.agentHeartbeatsOk} / ${r.agentHeartbeatFailures} | ${r.watchCallsInWindow} | ${Number.isNaN(r.dbTransactionsPerSecond) ? '–' : r.dbTransactionsPerSecond.toFixed(1)} | ${r.agentStreamEnds} | ${r.registerFailures} | ${r.workerCount} (${mib(r.workerRssKiB)}) |`,
    );
  }
  if (base.afterGc) {
    lines.push('');
    lines.push('After the window, two forced full GCs (inspector `HeapProfiler.collectGarbage`), 5 s later:');
    lines.push('');
    lines.push('| clusters | RSS after GC (MiB) | RSS − baseline after GC (MiB) | RSS per cluster after GC (KiB) | V8 heap used after GC (MiB) | malloc main arena after GC (MiB) | other anonymous after GC (MiB) |');
    lines.push('|---:|---:|---:|---:|---:|---:|---:|');
    for (const r of results) {
      const g = r.afterGc!;
      const d = g.rssKiB - base.afterGc.rssKiB;
      lines.push(`| ${r.clusters.toLocaleString('en')} | ${mib(g.rssKiB)} | ${r.clusters ? mib(d) : '–'} | ${r.clusters ? (d / r.clusters).toFixed(1) : '–'} | ${mib(g.heapUsedKiB)} | ${mib(g.memoryMap['malloc main arena'] ?? 0)} | ${mib(g.memoryMap['other anonymous (V8 heap, big blocks)'] ?? 0)} |`);
    }
  }
  lines.push('');
  const kinds = Object.keys(base.memoryMap);
  lines.push(`| clusters | ${kinds.map((k) => `${k} (MiB)`).join(' | ')} |`);
  lines.push(`|---:|${kinds.map(() => '---:').join('|')}|`);
  for (const r of results) lines.push(`| ${r.clusters.toLocaleString('en')} | ${kinds.map((k) => mib(r.memoryMap[k] ?? 0)).join(' | ')} |`);
  lines.push('');
  lines.push('VmRSS during the window, every 10 s (MiB):');
  lines.push('');
  for (const r of results) lines.push(`- ${r.clusters.toLocaleString('en')}: ${r.rssTraceMiB.join(' ')}`);
  return lines.join('\n');
}

function gitDescription(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoPath('.'), encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'hub', 'proto', 'prisma'], { cwd: repoPath('.'), encoding: 'utf8' }).trim();
    return dirty ? `${head} + uncommitted changes in hub/proto/prisma` : head;
  } catch {
    return 'unknown';
  }
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  const biggest = Math.max(...clusterCounts);
  const limit = maxOpenFiles();
  if (limit < biggest + 1024) {
    throw new Error(`open-file limit ${limit} is too low for ${biggest} connections in the hub: run through bench/idle-agents/run.sh, or raise \`ulimit -n\``);
  }
  const command = `node bench/idle-agents/run.ts ${process.argv.slice(2).join(' ')}`.trim();
  const started = new Date();
  const results: Result[] = [];
  for (const n of clusterCounts) results.push(await scenario(n));

  const cpu = os.cpus();
  const lines = [
    '# Idle agents: results of the last run',
    '',
    `- command: \`${command}\``,
    `- date: ${started.toISOString()}`,
    `- machine: ${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Linux ${os.release()}, Node ${process.version}; load average at the end ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} (other work was running; CPU is the hub's own utime+stime)`,
    `- ${opts.target === 'hub' ? 'hub: `hub/dist/main.js`' : `**floor server** (\`floor-server.ts\`: bare grpc-js, the hub's server options${Object.keys(floorOptions).length ? ` + ${JSON.stringify(floorOptions)}` : ''}, no NestJS/Prisma/Redis) instead of the hub;`} at ${gitDescription()}, ${opts.insecure ? 'TLS OFF (variant)' : 'TLS on'}, ${Object.keys(hubEnv).length ? `extra env ${Object.entries(hubEnv).map(([k, v]) => `${k}=${v}`).join(' ')}` : 'default settings'}`,
    `- agents: the agent's channel options (agent/src/connection/hub.client.ts: keepalive 60 s)${Object.keys(clientOptions).length ? `, plus ${JSON.stringify(clientOptions)}` : ''}; heartbeat interval announced in SessionInfo: ${[...new Set(results.flatMap((r) => Object.keys(r.heartbeatIntervals)))].join(', ') || '–'} s`,
    `- method: fresh database and hub per row; measured ≥ ${opts['min-age']} s after the hub started${opts['restart-hub'] ? ', hub restarted after all agents registered (measured process only saw reconnects)' : ''}${opts['heartbeat-every'] !== '0' ? `, **agents call Heartbeat every ${opts['heartbeat-every']} s** whatever the hub announces (variant)` : ''}${opts['agents-per-connection'] !== '1' ? `, **${opts['agents-per-connection']} agents share each connection** (variant)` : ''}${profileDir ? ', hub CPU-profiled during the window (adds overhead)' : ''}${opts['gc-after'] ? ', hub run with --inspect (for the forced GC after the window)' : ''}; settle ${settleSeconds} s after the last stream opened, then a ${windowSeconds} s window: RSS = median of VmRSS sampled every ${sampleSeconds} s, CPU = Δ(utime+stime) / wall time; RSS per cluster = (RSS_N − RSS_0) / N`,
    '',
    report(results),
    '',
  ];
  const markdown = lines.join('\n');
  process.stdout.write(`\n${markdown}\n`);
  if (opts.results !== '-') {
    writeFileSync(opts.results, markdown);
    log(`wrote ${opts.results}`);
  }
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: cleaning up`);
    interrupted = cleanup();
    void interrupted.finally(() => process.exit(130));
  });
}

main().then(
  () => process.exit(0),
  async (error: Error) => {
    if (interrupted) return interrupted;
    log(`failed: ${error.stack ?? error.message}`);
    if (current.target) log(`${current.target.kind} output (tail):\n${current.target.logs().slice(-3000)}`);
    await cleanup();
    process.exit(1);
  },
);
