/**
 * Fan-out benchmark (issue 8): N simulated clusters (worker processes using
 * the agent's own gRPC client) × B bundles changed at once through the REST
 * API, on one hub process with TLS and default settings.
 *
 *   sh bench/fanout/run.sh [--clusters 1000] [--bundles 50] [--workers 4] [--out bench/fanout/RESULTS.md]
 *
 * Phases, each measured from the first API call to the moment PostgreSQL
 * holds every deployment of the changed bundles Ready at its new revision
 * (as reported by the clusters):
 *   0. setup: B bundles created, every cluster applies them (not the headline);
 *   1. all B bundles changed at once: N × B deployments;
 *   2. one bundle changed: N deployments, and no other bundle's deployment may move;
 *   3. every cluster re-reports all its statuses unchanged (what agents do
 *      every 60 s): rows written must be 0.
 * Per phase: wall time, deployments per second, hub CPU (utime+stime) and
 * peak RSS, PostgreSQL transactions and rows written in the hub's database
 * (pg_stat_database, minus this script's own polling), Redis commands
 * (server-wide: INFO total_commands_processed), hub bytes written (wchar of
 * /proc/<pid>/io: sockets and logs), content fetched by the clusters.
 */
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { query } from '../../test/support/database.ts';
import { startHub, type TestHub } from '../../test/support/hub.ts';
import { repoPath } from '../../test/support/paths.ts';
import { cpuSeconds, cpuSecondsOfCommand, findHubPid, machineBusySeconds, machineStealSeconds, procStatus } from '../support/proc.ts';
import type { WorkerConfig, WorkerStats } from './clusters.ts';

const { values: opts } = parseArgs({
  options: {
    clusters: { type: 'string', default: '1000' },
    bundles: { type: 'string', default: '50' },
    workers: { type: 'string', default: '4' },
    out: { type: 'string', default: 'bench/fanout/RESULTS.md' },
    'timeout-s': { type: 'string', default: '600' },
  },
});
const N = Number(opts.clusters);
const B = Number(opts.bundles);
const W = Math.min(Number(opts.workers), N);
const TIMEOUT_MS = Number(opts['timeout-s']) * 1000;
const GOAL_SECONDS = 15;
const log = (line: string) => process.stderr.write(`fanout: ${line}\n`);

const rssKiB = (pid: number) => procStatus(pid).VmRSS ?? 0;
const wchar = (pid: number) => Number(/wchar:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))?.[1] ?? 0);
const redisCommands = () => Number(/total_commands_processed:(\d+)/.exec(execFileSync('redis-cli', ['-h', '127.0.0.1', 'info', 'stats'], { encoding: 'utf8' }))?.[1] ?? NaN);

interface Counters {
  at: number;
  cpu: number;
  /** CPU seconds of the simulated clusters' worker processes. */
  workerCpu: number;
  /** CPU seconds of PostgreSQL's live processes (the hub's pooled backends live through a phase) and of Redis. */
  pgCpu: number;
  redisCpu: number;
  /** CPU seconds the whole machine was busy (hub, workers, PostgreSQL, Redis, this process, anything else running). */
  machineCpu: number;
  /** Of it, CPU seconds stolen by the hypervisor (a shared host: the machine was slower by that much). */
  steal: number;
  wchar: number;
  redis: number;
  xacts: number;
  rows: number;
  deploymentRows: number;
  tables: Map<string, number>;
  /** Deployment statuses the hub wrote / found unchanged (its own counter: exact, unlike pg_stat's lagging flush). */
  statusWritten: number;
  statusUnchanged: number;
  fetches: number;
  fetchCalls: number;
  fetchedBytes: number;
  /** Deployment statuses the simulated clusters sent and the hub answered. */
  reported: number;
}
let polls = 0;
/** Rows inserted, updated or deleted per table (pg_stat_user_tables), to see where a phase's writes went. */
async function tableWrites(hub: TestHub): Promise<Map<string, number>> {
  polls++;
  const rows = await query<{ t: string; n: string }>(hub.database.url, `SELECT relname AS t, (n_tup_ins + n_tup_upd + n_tup_del)::text AS n FROM pg_stat_user_tables`);
  return new Map(rows.map((r) => [r.t, Number(r.n)]));
}

async function pgStats(hub: TestHub): Promise<{ xacts: number; rows: number; deploymentRows: number }> {
  polls++;
  const [row] = await query<{ x: string; r: string; d: string }>(
    hub.database.url,
    `SELECT xact_commit::text AS x, (tup_inserted + tup_updated + tup_deleted)::text AS r,
            (SELECT (n_tup_ins + n_tup_upd + n_tup_del)::text FROM pg_stat_user_tables WHERE relname = 'deployments') AS d
     FROM pg_stat_database WHERE datname = current_database()`,
  );
  return { xacts: Number(row!.x) - polls, rows: Number(row!.r), deploymentRows: Number(row!.d) };
}

let workers: { proc: ChildProcess; stats: WorkerStats }[] = [];
async function workerTotals(): Promise<WorkerStats[]> {
  return Promise.all(
    workers.map(
      (w) =>
        new Promise<WorkerStats>((resolve) => {
          const on = (m: { type: string; stats: WorkerStats }) => {
            if (m.type !== 'stats') return;
            w.proc.off('message', on);
            resolve(m.stats);
          };
          w.proc.on('message', on);
          w.proc.send({ type: 'stats' });
        }),
    ),
  );
}
const sum = (list: WorkerStats[], k: keyof WorkerStats) => list.reduce((a, s) => a + (s[k] as number), 0);

async function counters(hub: TestHub, pid: number): Promise<Counters> {
  // pg_stat_database is updated by backends at transaction end, with a short delay: give it a moment.
  await new Promise((r) => setTimeout(r, 600));
  const pg = await pgStats(hub);
  const tables = await tableWrites(hub);
  const w = await workerTotals();
  const metrics = await statusReports(hub);
  return {
    at: Date.now(),
    cpu: cpuSeconds(pid),
    workerCpu: workers.reduce((a, w) => a + cpuSeconds(w.proc.pid!), 0),
    pgCpu: cpuSecondsOfCommand('postgres'),
    redisCpu: cpuSecondsOfCommand('redis-server'),
    machineCpu: machineBusySeconds(),
    steal: machineStealSeconds(),
    wchar: wchar(pid),
    redis: redisCommands(),
    ...pg,
    tables,
    statusWritten: metrics.written,
    statusUnchanged: metrics.unchanged,
    fetches: sum(w, 'fetches'),
    fetchCalls: sum(w, 'fetchCalls'),
    fetchedBytes: sum(w, 'fetchedBytes'),
    reported: sum(w, 'reportedDeployments'),
  };
}

/** The hub's own count of status reports that wrote a deployment, and of those that changed nothing. */
async function statusReports(hub: TestHub): Promise<{ written: number; unchanged: number }> {
  const metrics = (await hub.api('GET', '/metrics')).body as string;
  const counter = (result: string) => Number(new RegExp(`^flotilla_status_reports_total\\{result="${result}"\\} (\\d+)`, 'm').exec(metrics)?.[1] ?? 0);
  return { written: counter('written'), unchanged: counter('unchanged') };
}

/** Polls until `done()` and samples the hub's RSS meanwhile; returns the moment it became true and the peak RSS. */
async function until(pid: number, description: string, done: () => Promise<boolean>): Promise<{ doneAt: number; peakRssKiB: number }> {
  const deadline = Date.now() + TIMEOUT_MS;
  let peak = rssKiB(pid);
  for (;;) {
    peak = Math.max(peak, rssKiB(pid));
    if (await done()) return { doneAt: Date.now(), peakRssKiB: peak };
    if (Date.now() > deadline) {
      const w = await workerTotals();
      throw new Error(`timed out waiting for ${description}; workers: ${JSON.stringify(w.map((s) => ({ e: s.errors, last: s.lastError, r: s.reportedDeployments })))}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

const bundleBody = (b: number, version: number) => ({
  resources: Array.from({ length: 3 }, (_, i) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: `fanout-${b}-${i}`, namespace: 'fanout' },
    data: { version: String(version), payload: 'x'.repeat(512) },
  })),
  targets: [{ clusterSelector: { matchLabels: { bench: 'fanout' } } }],
});

async function putBundles(hub: TestHub, indexes: number[], version: number): Promise<string[]> {
  return Promise.all(
    indexes.map(async (b) => {
      const res = await hub.api('PUT', `/api/v1/bundles/fanout-${b}`, bundleBody(b, version));
      if (res.status >= 300) throw new Error(`PUT bundle ${b}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.revision as string;
    }),
  );
}

async function readyAt(hub: TestHub, revisions: string[]): Promise<number> {
  polls++;
  const [row] = await query<{ n: number }>(
    hub.database.url,
    `SELECT count(*)::int AS n FROM deployments WHERE state = 'Ready' AND applied_revision = desired_revision AND desired_revision = ANY($1::text[])`,
    [revisions],
  );
  return row!.n;
}

interface Phase {
  name: string;
  deployments: number;
  seconds: number;
  cpuSeconds: number;
  workerCpuSeconds: number;
  pgCpuSeconds: number;
  redisCpuSeconds: number;
  machineCpuSeconds: number;
  stealSeconds: number;
  peakRssMiB: number;
  xacts: number;
  rows: number;
  deploymentRows: number;
  /** The tables most written to, with their row counts. */
  topTables: [string, number][];
  statusWritten: number;
  statusUnchanged: number;
  redis: number;
  wcharMiB: number;
  fetches: number;
  fetchCalls: number;
  fetchedMiB: number;
  note?: string;
}

async function phase(hub: TestHub, pid: number, name: string, indexes: number[], version: number, expected: number): Promise<Phase> {
  const before = await counters(hub, pid);
  const t0 = Date.now();
  const revisions = await putBundles(hub, indexes, version);
  // Every deployment reaches Ready at its new revision through at least one report the hub answered, so the
  // checks that cost the system under test run only once the simulated clusters (this benchmark's own processes)
  // have sent that many: the hub's own counter of written reports (a /metrics scrape: with 1,000 streams open,
  // prom-client's default metrics list every handle, ~5 ms of the hub's CPU each), then the exact SQL check (a count
  // over the deployments table: ~40 ms of PostgreSQL each).
  const done = async () =>
    sum(await workerTotals(), 'reportedDeployments') - before.reported >= expected &&
    (await statusReports(hub)).written - before.statusWritten >= expected &&
    (await readyAt(hub, revisions)) >= expected;
  const { doneAt, peakRssKiB } = await until(pid, name, done);
  return measured(name, expected, (doneAt - t0) / 1000, peakRssKiB, before, await counters(hub, pid));
}

function measured(name: string, deployments: number, seconds: number, peakRssKiB: number, before: Counters, after: Counters): Phase {
  return {
    name,
    deployments,
    seconds,
    cpuSeconds: after.cpu - before.cpu,
    workerCpuSeconds: after.workerCpu - before.workerCpu,
    pgCpuSeconds: after.pgCpu - before.pgCpu,
    redisCpuSeconds: after.redisCpu - before.redisCpu,
    machineCpuSeconds: after.machineCpu - before.machineCpu,
    stealSeconds: after.steal - before.steal,
    peakRssMiB: peakRssKiB / 1024,
    xacts: after.xacts - before.xacts,
    rows: after.rows - before.rows,
    deploymentRows: after.deploymentRows - before.deploymentRows,
    topTables: [...after.tables]
      .map(([t, n]): [string, number] => [t, n - (before.tables.get(t) ?? 0)])
      .filter(([, n]) => n > 0)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 6),
    statusWritten: after.statusWritten - before.statusWritten,
    statusUnchanged: after.statusUnchanged - before.statusUnchanged,
    redis: after.redis - before.redis,
    wcharMiB: (after.wchar - before.wchar) / 1048576,
    fetches: after.fetches - before.fetches,
    fetchCalls: after.fetchCalls - before.fetchCalls,
    fetchedMiB: (after.fetchedBytes - before.fetchedBytes) / 1048576,
  };
}

/** Every cluster re-reports every deployment unchanged (a real agent's 60 s resync): nothing should be written. */
async function resyncPhase(hub: TestHub, pid: number): Promise<Phase> {
  const before = await counters(hub, pid);
  const t0 = Date.now();
  await Promise.all(
    workers.map(
      (w) =>
        new Promise<void>((resolve) => {
          const on = (m: { type: string }) => {
            if (m.type !== 'resynced') return;
            w.proc.off('message', on);
            resolve();
          };
          w.proc.on('message', on);
          w.proc.send({ type: 'resync' });
        }),
    ),
  );
  const seconds = (Date.now() - t0) / 1000;
  return measured('3. every cluster re-reports all statuses unchanged (60 s resync)', N * B, seconds, rssKiB(pid), before, await counters(hub, pid));
}

function report(phases: Phase[], idleRssMiB: number, extra: string[]): string {
  const f = (n: number, d = 1) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
  const lines = [
    `# fanout — results`,
    '',
    `Run ${new Date().toISOString()} on ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${f(totalmem() / 2 ** 30, 0)} GiB; commit ${execFileSync('git', ['describe', '--always', '--dirty'], { encoding: 'utf8' }).trim()}.`,
    `Command: \`sh bench/fanout/run.sh --clusters ${N} --bundles ${B} --workers ${W}\` (hub: one process, TLS, default settings; ${W} worker processes of simulated clusters on the same 2 cores).`,
    '',
    `Hub RSS with ${N} streams open, before phase 1: ${f(idleRssMiB)} MiB.`,
    '',
    '| phase | deployments | time (s) | per second | hub CPU (s) | hub peak RSS (MiB) | PG transactions | PG rows written (of them in deployments) | statuses written / unchanged | Redis commands (server) | hub bytes written (MiB) | content fetches | fetched (MiB) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...phases.map((p) =>
      `| ${p.name} | ${p.deployments.toLocaleString('en-US')} | ${f(p.seconds, 2)} | ${f(p.deployments / p.seconds, 0)} | ${f(p.cpuSeconds)} | ${f(p.peakRssMiB)} | ${p.xacts.toLocaleString('en-US')} | ${p.rows.toLocaleString('en-US')} (${p.deploymentRows.toLocaleString('en-US')}) | ${p.statusWritten.toLocaleString('en-US')} / ${p.statusUnchanged.toLocaleString('en-US')} | ${p.redis.toLocaleString('en-US')} | ${f(p.wcharMiB)} | ${p.fetches.toLocaleString('en-US')} | ${f(p.fetchedMiB)} |`,
    ),
    '',
    `Where the machine's CPU went (core-seconds; ${cpus().length} cores). The floor is the benchmark's own work (hub, simulated clusters, PostgreSQL, Redis) divided by the cores: the phase cannot end sooner on this machine unless something does less work. "Else" is everything else the machine ran meanwhile (this process; on a shared machine, other jobs), and "of it stolen" the time the hypervisor gave this machine's vCPUs to other guests (/proc/stat steal): a phase with much of it ran on a slower machine.`,
    '',
    '| phase | time (s) | hub | simulated clusters | PostgreSQL | Redis | else (of it stolen) | floor (s) | content calls |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...phases.map((p) => {
      const own = p.cpuSeconds + p.workerCpuSeconds + p.pgCpuSeconds + p.redisCpuSeconds;
      return `| ${p.name} | ${f(p.seconds, 2)} | ${f(p.cpuSeconds)} | ${f(p.workerCpuSeconds)} | ${f(p.pgCpuSeconds)} | ${f(p.redisCpuSeconds)} | ${f(p.machineCpuSeconds - own)} (${f(p.stealSeconds)}) | ${f(own / cpus().length, 2)} | ${p.fetchCalls.toLocaleString('en-US')} |`;
    }),
    '',
    'PostgreSQL rows written per table (inserted + updated + deleted; the largest six):',
    '',
    ...phases.map((p) => `- ${p.name}: ${p.topTables.map(([t, n]) => `${t} ${n.toLocaleString('en-US')}`).join(', ')}`),
    '',
    `Goal (issue 8): ≤ ${GOAL_SECONDS} s for the ${(N * B).toLocaleString('en-US')} deployments of phase 1 on one hub process; the anchor is Rancher Fleet's own scale tests, ≈ 30–85 deployments per second.`,
    'PG counts come from pg_stat_database / pg_stat_user_tables, which an idle pooled backend flushes only every ~10 s: a few rows may land in the next phase. The status columns are the hub\'s own exact counter.',
    ...extra,
    '',
  ];
  return lines.join('\n');
}

async function main(): Promise<void> {
  log(`starting hub; ${N} clusters in ${W} workers, ${B} bundles`);
  // HUB_NODE_OPTIONS (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`) profiles the hub process.
  const hub = await startHub(process.env.HUB_NODE_OPTIONS ? { env: { NODE_OPTIONS: process.env.HUB_NODE_OPTIONS } } : {});
  const pid = findHubPid();
  const stopAll = async () => {
    for (const w of workers) w.proc.kill('SIGKILL');
    await hub.dispose();
  };
  process.once('SIGINT', () => void stopAll().then(() => process.exit(130)));
  try {
    const token = (await hub.api('POST', '/api/v1/registration-tokens', { description: 'fanout benchmark', labels: { bench: 'fanout' } })).body.token as string;
    const prefix = `fanout-${Date.now().toString(36)}`;
    const per = Math.ceil(N / W);
    workers = Array.from({ length: W }, (_, w) => {
      const cfg: WorkerConfig = {
        worker: w,
        grpcAddress: hub.grpcAddress,
        caPem: hub.tls!.caPem,
        registrationToken: token,
        identityPrefix: prefix,
        first: w * per,
        count: Math.max(0, Math.min(per, N - w * per)),
        concurrency: 16,
      };
      const proc = fork(repoPath('bench/fanout/clusters.ts'), [JSON.stringify(cfg)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      return { proc, stats: {} as WorkerStats };
    });
    const started = Date.now();
    await until(pid, 'all streams open', async () => {
      const open = sum(await workerTotals(), 'streamsOpen');
      return open >= N;
    });
    log(`${N} streams open in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const all = Array.from({ length: B }, (_, i) => i);
    const setup = await phase(hub, pid, `0. setup: ${B} new bundles`, all, 1, N * B);
    log(`setup done in ${setup.seconds} s`);
    const idleRssMiB = rssKiB(pid) / 1024;
    const changeAll = await phase(hub, pid, `1. all ${B} bundles changed at once`, all, 2, N * B);
    log(`phase 1: ${changeAll.seconds} s`);
    const t1 = new Date();
    const one = await phase(hub, pid, '2. one bundle changed', [0], 3, N);
    log(`phase 2: ${one.seconds} s`);
    const [moved] = await query<{ n: number }>(
      hub.database.url,
      `SELECT count(*)::int AS n FROM deployments d JOIN bundles b ON b.id = d.bundle_id WHERE b.name <> 'fanout-0' AND d.updated_at >= $1`,
      [t1],
    );
    const resync = await resyncPhase(hub, pid);
    const w = await workerTotals();
    const extra = [
      `Phase 2: deployments of the other ${B - 1} bundles written during it: ${moved!.n} (must be 0).`,
      `Cluster workers: ${sum(w, 'errors')} errors${sum(w, 'errors') ? ` (last: ${w.find((s) => s.lastError)?.lastError})` : ''}; ${sum(w, 'desiredStates').toLocaleString('en-US')} desired states received, ${sum(w, 'reports').toLocaleString('en-US')} ReportStatus calls in all.`,
    ];
    const text = report([setup, changeAll, one, resync], idleRssMiB, extra);
    writeFileSync(repoPath(opts.out!), text);
    process.stdout.write(text);
  } finally {
    await stopAll();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`fanout failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
