/**
 * Rollout benchmark (issue 13): N simulated clusters (the fan-out
 * benchmark's worker processes: the agent's own gRPC client, one TLS
 * connection each, Ready as soon as the content is fetched) and one bundle
 * whose rolloutStrategy has P named partitions of N/P clusters, each with
 * maxUnavailable 0: partition k+1 starts only when every cluster of
 * partition k is Ready on the new revision.
 *
 *   sh bench/rollout/run.sh [--clusters 1000] [--partitions 10] [--workers 4] [--out bench/rollout/RESULTS.md]
 *
 * Measures, for a change of the bundle (the "commit", a PUT through the
 * REST API) until every cluster is Ready on it: wall time, hub CPU and peak
 * RSS; and from PostgreSQL's own timestamps, per partition, its first
 * deployment (deployed_at) and its last Ready report (reported_at). The
 * partitions' own waiting is the sum of (last Ready − first deployment) of
 * each partition; what the hub adds is the rest: from the PUT to the first
 * deployment, and from each partition's last Ready to the next one's first
 * deployment.
 */
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { query } from '../../test/support/database.ts';
import { startHub, type TestHub } from '../../test/support/hub.ts';
import { repoPath } from '../../test/support/paths.ts';
import { cpuSeconds, findHubPid, procStatus } from '../support/proc.ts';
import type { WorkerConfig, WorkerStats } from '../fanout/clusters.ts';

const { values: opts } = parseArgs({
  options: {
    clusters: { type: 'string', default: '1000' },
    partitions: { type: 'string', default: '10' },
    workers: { type: 'string', default: '4' },
    out: { type: 'string', default: 'bench/rollout/RESULTS.md' },
    'timeout-s': { type: 'string', default: '600' },
  },
});
const N = Number(opts.clusters);
const P = Number(opts.partitions);
const W = Math.min(Number(opts.workers), N);
const TIMEOUT_MS = Number(opts['timeout-s']) * 1000;
const GOAL_HUB_SECONDS = 2;
const BUNDLE = 'rollout-bench';
const log = (line: string) => process.stderr.write(`rollout: ${line}\n`);
const rssKiB = (pid: number) => procStatus(pid).VmRSS ?? 0;

let workers: ChildProcess[] = [];

function workerStats(): Promise<WorkerStats[]> {
  return Promise.all(
    workers.map(
      (proc) =>
        new Promise<WorkerStats>((resolve) => {
          const on = (m: { type: string; stats: WorkerStats }) => {
            if (m.type !== 'stats') return;
            proc.off('message', on);
            resolve(m.stats);
          };
          proc.on('message', on);
          proc.send({ type: 'stats' });
        }),
    ),
  );
}

async function until(pid: number, what: string, done: () => Promise<boolean>): Promise<{ at: number; peakRssKiB: number }> {
  const deadline = Date.now() + TIMEOUT_MS;
  let peak = rssKiB(pid);
  for (;;) {
    peak = Math.max(peak, rssKiB(pid));
    if (await done()) return { at: Date.now(), peakRssKiB: peak };
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const strategy = {
  partitions: Array.from({ length: P }, (_, k) => ({ name: `p${k}`, clusterSelector: { matchLabels: { part: String(k) } }, maxUnavailable: 0 })),
};

async function put(hub: TestHub, version: number): Promise<string> {
  const res = await hub.api('PUT', `/api/v1/bundles/${BUNDLE}`, {
    resources: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'rollout-bench', namespace: 'bench' }, data: { version: String(version) } }],
    targets: [{ clusterSelector: { matchLabels: { bench: 'rollout' } } }],
    rolloutStrategy: strategy,
  });
  if (res.status >= 300) throw new Error(`PUT: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.revision as string;
}

async function readyOn(hub: TestHub, revision: string): Promise<number> {
  const [row] = await query<{ n: number }>(
    hub.database.url,
    `SELECT count(*)::int AS n FROM deployments WHERE state = 'Ready' AND applied_revision = $1 AND desired_revision = $1`,
    [revision],
  );
  return row!.n;
}

interface PartitionTiming {
  part: string;
  clusters: number;
  firstDeployed: number;
  lastReady: number;
}

async function timings(hub: TestHub): Promise<PartitionTiming[]> {
  const rows = await query<{ part: string; n: number; first: Date; last: Date }>(
    hub.database.url,
    `SELECT c.labels->>'part' AS part, count(*)::int AS n, min(d.deployed_at) AS first, max(d.reported_at) AS last
     FROM deployments d JOIN clusters c ON c.id = d.cluster_id JOIN bundles b ON b.id = d.bundle_id
     WHERE b.name = $1 GROUP BY 1 ORDER BY (c.labels->>'part')::int`,
    [BUNDLE],
  );
  return rows.map((r) => ({ part: `p${r.part}`, clusters: r.n, firstDeployed: r.first.getTime(), lastReady: r.last.getTime() }));
}

async function dbNow(hub: TestHub): Promise<number> {
  const [row] = await query<{ now: Date }>(hub.database.url, 'SELECT clock_timestamp() AS now');
  return row!.now.getTime();
}

async function main(): Promise<void> {
  log(`starting hub; ${N} clusters in ${W} workers, ${P} partitions`);
  const hub = await startHub();
  const pid = findHubPid();
  const stopAll = async () => {
    for (const w of workers) w.kill('SIGKILL');
    await hub.dispose();
  };
  process.once('SIGINT', () => void stopAll().then(() => process.exit(130)));
  try {
    const tokens: string[] = [];
    for (let k = 0; k < P; k++) {
      tokens.push((await hub.api('POST', '/api/v1/registration-tokens', { description: `rollout benchmark p${k}`, labels: { bench: 'rollout', part: String(k) } })).body.token as string);
    }
    const prefix = `rollout-${Date.now().toString(36)}`;
    const per = Math.ceil(N / W);
    workers = Array.from({ length: W }, (_, w) => {
      const cfg: WorkerConfig = {
        worker: w,
        grpcAddress: hub.grpcAddress,
        caPem: hub.tls!.caPem,
        registrationToken: tokens[0]!,
        registrationTokens: tokens,
        identityPrefix: prefix,
        first: w * per,
        count: Math.max(0, Math.min(per, N - w * per)),
        concurrency: 16,
      };
      return fork(repoPath('bench/fanout/clusters.ts'), [JSON.stringify(cfg)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    });
    await until(pid, 'all streams open', async () => (await workerStats()).reduce((a, s) => a + s.streamsOpen, 0) >= N);
    log('streams open; first revision (setup)');
    const v1 = await put(hub, 1);
    await until(pid, 'setup Ready', async () => (await readyOn(hub, v1)) >= N);

    log('changing the bundle');
    const cpu0 = cpuSeconds(pid);
    const t0 = await dbNow(hub);
    const wall0 = Date.now();
    const v2 = await put(hub, 2);
    const { at, peakRssKiB } = await until(pid, 'all Ready on the new revision', async () => (await readyOn(hub, v2)) >= N);
    const wall = (at - wall0) / 1000;
    const cpu = cpuSeconds(pid) - cpu0;
    const parts = await timings(hub);
    const own = parts.reduce((a, p) => a + (p.lastReady - p.firstDeployed), 0) / 1000;
    const gaps = parts.map((p, i) => (p.firstDeployed - (i === 0 ? t0 : parts[i - 1]!.lastReady)) / 1000);
    const hubAdds = gaps.reduce((a, g) => a + g, 0);
    const commitToLastReady = (parts[parts.length - 1]!.lastReady - t0) / 1000;
    const events = await query<{ kind: string; n: number }>(
      hub.database.url,
      `SELECT kind, count(*)::int AS n FROM fleet_events WHERE bundle = $1 AND (data->>'seq')::int = 2 GROUP BY 1 ORDER BY 1`,
      [BUNDLE],
    );
    const ws = await workerStats();
    const f = (n: number, d = 2) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
    const text = [
      '# rollout — results',
      '',
      `Run ${new Date().toISOString()} on ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${f(totalmem() / 2 ** 30, 0)} GiB; commit ${execFileSync('git', ['describe', '--always', '--dirty'], { encoding: 'utf8' }).trim()}.`,
      `Command: \`sh bench/rollout/run.sh --clusters ${N} --partitions ${P} --workers ${W}\` (hub: one process, TLS, default settings; ${W} worker processes of simulated clusters on the same cores).`,
      '',
      `One bundle, ${P} partitions of ${Math.round(N / P)} clusters, each maxUnavailable 0, changed by one PUT:`,
      '',
      '| measure | value |',
      '|---|---:|',
      `| commit (PUT) → last cluster Ready, PostgreSQL timestamps (s) | ${f(commitToLastReady)} |`,
      `| commit → all Ready as this script saw it (s, includes its 100 ms polling) | ${f(wall)} |`,
      `| partitions' own waiting: Σ (last Ready − first deployment) (s) | ${f(own)} |`,
      `| **hub adds**: PUT → first deployment + Σ (last Ready of k → first deployment of k+1) (s) | **${f(hubAdds)}** |`,
      `| hub CPU during the rollout (s) | ${f(cpu)} |`,
      `| hub peak RSS during the rollout (MiB) | ${f(peakRssKiB / 1024, 1)} |`,
      '',
      '| partition | clusters | hub gap before it (ms) | first deployment → last Ready (ms) |',
      '|---|---:|---:|---:|',
      ...parts.map((p, i) => `| ${p.part} | ${p.clusters} | ${f(gaps[i]! * 1000, 0)} | ${f(p.lastReady - p.firstDeployed, 0)} |`),
      '',
      `Goal (issue 13): the hub adds ≤ ${GOAL_HUB_SECONDS} s over the partitions' own waiting: ${hubAdds <= GOAL_HUB_SECONDS ? 'met' : 'NOT met'}.`,
      `Events of the rollout (fleet_events): ${events.map((e) => `${e.kind} ${e.n}`).join(', ')}.`,
      `Cluster workers: ${ws.reduce((a, s) => a + s.errors, 0)} errors; ${ws.reduce((a, s) => a + s.reports, 0).toLocaleString('en-US')} ReportStatus calls in all.`,
      '',
    ].join('\n');
    writeFileSync(repoPath(opts.out!), text);
    process.stdout.write(text);
  } finally {
    await stopAll();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`rollout failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
