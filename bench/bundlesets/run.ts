/**
 * BundleSet benchmark (issue #12).
 *
 *   node bench/bundlesets/run.ts [--clusters 1000] [--dirs 50] [--drain 900] [--out bench/bundlesets/RESULTS.md | -]
 *
 * One hub (hub/dist/main.js, all roles) on the local PostgreSQL and Redis, a
 * file:// repository with --dirs raw-YAML directories (apps/a00 …, one
 * ConfigMap each) behind a sourceOnly GitRepo, --clusters clusters inserted
 * into its database (labels env=prod|dev; no agents: this measures the
 * BundleSet path, not delivery). One BundleSet: a matrix of `clusters`
 * (env Exists) × `gitDirectories` (apps/*), one bundle per cluster and
 * directory, targeted at that cluster by name.
 *
 * The hub's fan-out and render queues are paused (BullMQ, in Redis) for the
 * three steps, so they time the BundleSet path alone — delivering 50,000
 * bundles is the fanout and render benchmarks' subject; the jobs wait and are
 * resumed at the end, and how long they take to drain is reported (up to
 * --drain s) as an aside.
 * (1) from scratch: PUT → status Evaluated (every bundle written).
 * (2) no change: POST …/refresh → Evaluated again; rows written must be 0.
 * (3) one cluster joins: a cluster registered over gRPC (its id stamps the
 *     BundleSet in the registration's transaction; the matrix is
 *     cluster-separable, so only its parameter sets are evaluated) → its
 *     --dirs bundles exist and the run is Evaluated; rows written must be
 *     exactly --dirs.
 * Hub RSS (VmRSS, /proc) is sampled every 200 ms: peak per step.
 * Rows written: the hub's flotilla_bundleset_bundles_written_total (created + updated + deleted) over the step.
 *
 * Goals: (1) ≤ 30 s, (2) ≤ 2 s and 0 rows, (3) ≤ 1 s and --dirs rows.
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { Queue } from 'bullmq';
import { register } from '../../test/support/agent-client.ts';
import { query } from '../../test/support/database.ts';
import { createRepo, type TestRepo } from '../../test/support/git-server.ts';
import { startHub, type TestHub } from '../../test/support/hub.ts';
import { findHubPid, procStatus } from '../support/proc.ts';

const { values: args } = parseArgs({
  options: {
    clusters: { type: 'string', default: '1000' },
    dirs: { type: 'string', default: '50' },
    drain: { type: 'string', default: '900' },
    out: { type: 'string', default: 'bench/bundlesets/RESULTS.md' },
  },
});
const CLUSTERS = Number(args.clusters);
const DIRS = Number(args.dirs);

let hub: TestHub | undefined;
let repo: TestRepo | undefined;
const cleanup = async () => {
  if (process.env.FLOTILLA_BENCH_HUB_LOG && hub) writeFileSync(process.env.FLOTILLA_BENCH_HUB_LOG, hub.logs());
  await hub?.dispose().catch(() => undefined);
  await repo?.dispose().catch(() => undefined);
};
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => void cleanup().finally(() => process.exit(130)));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Peak hub RSS (MiB) while `fn` runs. */
async function withRss<T>(pid: number, fn: () => Promise<T>): Promise<{ value: T; peakMiB: number }> {
  let peak = 0;
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, procStatus(pid).VmRSS ?? 0);
    } catch {
      // exited
    }
  }, 200);
  try {
    return { value: await fn(), peakMiB: Math.round(peak / 1024) };
  } finally {
    clearInterval(timer);
  }
}

async function evaluatedAfter(h: TestHub, name: string, after: string, until: () => Promise<boolean> = async () => true): Promise<any> {
  for (;;) {
    const r = await h.api('GET', `/api/v1/bundlesets/${name}`);
    const s = r.body.status;
    if (s.evaluatedAt && s.evaluatedAt > after && !s.evaluationPending) {
      if (s.result !== 'Evaluated') throw new Error(`evaluation ended ${s.result}: ${s.message}`);
      if (await until()) return s;
    }
    await sleep(25);
  }
}

const bundleCount = async (h: TestHub) => Number((await query<{ n: string }>(h.database.url, 'SELECT count(*) AS n FROM bundles WHERE bundle_set_id IS NOT NULL'))[0]!.n);
/** Bundles BundleSet runs wrote so far (created + updated + deleted), from the hub's own counter. */
async function written(h: TestHub): Promise<number> {
  const text = (await fetch(`${h.httpUrl}/metrics`, { headers: { authorization: `Bearer ${h.adminToken}` } }).then((r) => r.text())) as string;
  return text
    .split('\n')
    .filter((l) => l.startsWith('flotilla_bundleset_bundles_written_total{'))
    .reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
}

async function main(): Promise<void> {
  const lines: string[] = [];
  const log = (s: string) => {
    console.log(s);
    lines.push(s);
  };
  repo = await createRepo();
  const files: Record<string, string> = {};
  for (let i = 0; i < DIRS; i++) {
    const d = `a${String(i).padStart(2, '0')}`;
    files[`apps/${d}/cm.yaml`] = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${d}\ndata:\n  app: ${d}\n`;
  }
  await repo.writeFiles(files);
  const sha = await repo.commit('apps');
  hub = await startHub();
  const h = hub;
  const pid = findHubPid();
  const connection = { host: '127.0.0.1', port: 6379 };
  const queues = ['deployment-fanout', 'bundle-render'].map((name) => new Queue(name, { connection, prefix: `${h.redisPrefix}:bull` }));
  await h.api('PUT', '/api/v1/gitrepos/src', { repo: repo.fileUrl, branch: 'main', sourceOnly: true, pollingInterval: 3600 });
  while ((await h.api('GET', '/api/v1/gitrepos/src')).body.status.commit?.sha !== sha) await sleep(100);
  await query(
    h.database.url,
    `INSERT INTO clusters (id, name, identity, labels, updated_at)
     SELECT gen_random_uuid(), 'c' || lpad(g::text, 5, '0'), gen_random_uuid()::text, jsonb_build_object('env', CASE WHEN g % 2 = 0 THEN 'prod' ELSE 'dev' END), now()
     FROM generate_series(1, $1) g`,
    [CLUSTERS],
  );
  const set = {
    generators: [
      {
        matrix: {
          generators: [
            { clusters: { selector: { matchExpressions: [{ key: 'env', operator: 'Exists' }] } } },
            { gitDirectories: { gitRepo: 'src', directories: [{ path: 'apps/*' }] } },
          ],
        },
      },
    ],
    template: { name: '{{ .path.basename }}-{{ .cluster.name }}', gitRepo: 'src', path: '{{ .path.path }}', namespace: '{{ .path.basename }}', targets: [{ clusterName: '{{ .cluster.name }}' }] },
    syncPolicy: { maxDeleteFraction: 1 },
  };
  const expected = CLUSTERS * DIRS;
  for (const q of queues) await q.pause();
  log(`# BundleSet benchmark (${new Date().toISOString()})\n`);
  log(`Command: \`sh scripts/run.sh node bench/bundlesets/run.ts --clusters ${CLUSTERS} --dirs ${DIRS}\`. Machine: ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, load ${loadavg()[0]!.toFixed(2)} at start.\n`);
  log(`${CLUSTERS} clusters × ${DIRS} directories = ${expected} generated bundles.\n`);
  log('| step | time | bundle rows written | hub peak RSS | goal |');
  log('|---|---|---|---|---|');

  // (1) from scratch
  let w0 = await written(h);
  let start = performance.now();
  const scratch = await withRss(pid, async () => {
    await h.api('PUT', '/api/v1/bundlesets/matrix', set);
    return evaluatedAfter(h, 'matrix', '');
  });
  const scratchS = (performance.now() - start) / 1000;
  const total = await bundleCount(h);
  if (total !== expected) throw new Error(`expected ${expected} bundles, found ${total}`);
  log(`| from scratch (PUT → Evaluated) | ${scratchS.toFixed(1)} s | ${(await written(h)) - w0} | ${scratch.peakMiB} MiB | ≤ 30 s |`);

  // (2) no change
  let before = scratch.value.evaluatedAt as string;
  w0 = await written(h);
  start = performance.now();
  const same = await withRss(pid, async () => {
    await h.api('POST', '/api/v1/bundlesets/matrix/refresh');
    return evaluatedAfter(h, 'matrix', before);
  });
  const sameS = (performance.now() - start) / 1000;
  log(`| no change (refresh → Evaluated) | ${sameS.toFixed(2)} s | ${(await written(h)) - w0} | ${same.peakMiB} MiB | ≤ 2 s, 0 rows |`);

  // (3) one cluster joins
  before = same.value.evaluatedAt as string;
  const token = (await h.api('POST', '/api/v1/registration-tokens', { maxUses: 1 })).body.token as string;
  w0 = await written(h);
  start = performance.now();
  const join = await withRss(pid, async () => {
    await register(h, { token, identity: randomUUID(), name: 'joiner', labels: { env: 'prod' } });
    return evaluatedAfter(h, 'matrix', before, async () => (await bundleCount(h)) === expected + DIRS);
  });
  const joinS = (performance.now() - start) / 1000;
  log(`| one cluster joins (Register → its bundles written) | ${joinS.toFixed(2)} s | ${(await written(h)) - w0} | ${join.peakMiB} MiB | ≤ 1 s, ${DIRS} rows |`);
  // Delivery, as an aside: the fan-out and renders the three steps queued.
  for (const q of queues) await q.resume();
  start = performance.now();
  let rendering = 1;
  while (rendering > 0 && performance.now() - start < Number(args.drain) * 1000) {
    rendering = Number((await query<{ n: string }>(h.database.url, "SELECT count(*) AS n FROM bundles WHERE render_state = 'Rendering'"))[0]!.n);
    if (rendering > 0) await sleep(1000);
  }
  const drainS = (performance.now() - start) / 1000;
  for (const q of queues) await q.close();
  log('');
  log('Evaluations as the hub logged them:');
  log('```');
  for (const line of h.logs().split('\n').filter((l) => /BundleSet \S+ evaluated( for \d+ cluster\(s\))? in/.test(l))) log(line.replace(/\x1b\[[0-9;]*m/g, '').replace(/^.*?BundleSet /, 'BundleSet '));
  log('```');
  log(`Aside: with the queues resumed, the fan-out and renders of all ${expected + DIRS} bundles took ${drainS.toFixed(0)} s${rendering > 0 ? ` (stopped at --drain with ${rendering} still Rendering)` : ''}.`);
  if (args.out !== '-') writeFileSync(args.out!, lines.join('\n') + '\n');
}

main()
  .then(cleanup)
  .catch(async (error) => {
    console.error(error);
    console.error(`hub log (last 4,000 characters):\n${hub?.logs().slice(-4000) ?? ''}`);
    await cleanup();
    process.exit(1);
  });
