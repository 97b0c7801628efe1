/**
 * Status queries at fleet size (issue 13): a real hub on a fresh database
 * seeded with C clusters × B bundles of deployments in a realistic state mix
 * (most Ready, some OutOfSync with a newer revision staged, some Pending,
 * NotReady, Modified, WaitApplied and ErrApplied), then through the REST
 * API, N times each, after a warm-up:
 *   1. counts by state for every bundle: GET /api/v1/status/bundles (all bundles in one page);
 *   2. clusters not on the latest revision of a bundle: GET /api/v1/deployments?bundle=B&notOnLatest=true;
 *   3. where a revision runs: GET /api/v1/deployments?revision=R.
 * p50 / p95 / max latency per query, measured by this script around each HTTP call.
 *
 *   node bench/rollout/status-queries.ts [--clusters 1000] [--bundles 50] [--runs 200] [--out bench/rollout/STATUS-RESULTS.md]
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { query } from '../../test/support/database.ts';
import { startHub, type TestHub } from '../../test/support/hub.ts';
import { repoPath } from '../../test/support/paths.ts';

const { values: opts } = parseArgs({
  options: {
    clusters: { type: 'string', default: '1000' },
    bundles: { type: 'string', default: '50' },
    runs: { type: 'string', default: '200' },
    out: { type: 'string', default: 'bench/rollout/STATUS-RESULTS.md' },
  },
});
const C = Number(opts.clusters);
const B = Number(opts.bundles);
const RUNS = Number(opts.runs);
const GOAL_P95_MS = 100;
const log = (line: string) => process.stderr.write(`status-queries: ${line}\n`);

/** Seeds clusters, two revisions per bundle and C × B deployments with SQL (no fan-out runs: no markers). */
async function seed(hub: TestHub): Promise<void> {
  const sql = (text: string, params: unknown[] = []) => query(hub.database.url, text, params);
  await sql(`INSERT INTO clusters (id, name, identity, labels, connection, fanout_requested_at, updated_at)
             SELECT gen_random_uuid(), 'c-' || lpad(i::text, 5, '0'), 'id-' || i, jsonb_build_object('env', CASE WHEN i % 4 = 0 THEN 'staging' ELSE 'prod' END, 'region', 'r' || (i % 5)),
                    'online', NULL, now()
             FROM generate_series(1, $1::int) i`, [C]);
  await sql(`INSERT INTO bundle_revisions (id, content, size, resource_count)
             SELECT 'sha256:b' || b || '-v' || v, '\\x00'::bytea, 1, 1 FROM generate_series(1, $1::int) b, generate_series(1, 2) v`, [B]);
  await sql(`INSERT INTO bundles (id, name, targets, options, revision_id, fanout_requested_at, updated_at)
             SELECT gen_random_uuid(), 'bundle-' || lpad(b::text, 3, '0'), '[{"clusterSelector":{}}]', '{}', 'sha256:b' || b || '-v2', NULL, now()
             FROM generate_series(1, $1::int) b`, [B]);
  // State mix by (cluster, bundle) hash: 80 % Ready on v2, 8 % OutOfSync (Ready on v1, v2 staged), 4 % Pending (not deployed),
  // and 2 % each NotReady, Modified, WaitApplied, ErrApplied.
  await sql(`INSERT INTO deployments (id, bundle_id, cluster_id, staged_revision, desired_revision, applied_revision, state, reason, deployed_at, reported_at, updated_at)
             SELECT gen_random_uuid(), b.id, c.id, b.revision_id,
                    CASE WHEN k < 80 THEN b.revision_id WHEN k < 88 THEN replace(b.revision_id, '-v2', '-v1') WHEN k < 92 THEN NULL ELSE b.revision_id END,
                    CASE WHEN k < 80 THEN b.revision_id WHEN k < 88 THEN replace(b.revision_id, '-v2', '-v1') WHEN k < 92 THEN NULL WHEN k < 98 THEN b.revision_id ELSE b.revision_id END,
                    (CASE WHEN k < 88 THEN 'Ready' WHEN k < 92 THEN 'Pending' WHEN k < 94 THEN 'NotReady' WHEN k < 96 THEN 'Modified' WHEN k < 98 THEN 'WaitApplied' ELSE 'ErrApplied' END)::"DeploymentState",
                    CASE WHEN k >= 98 THEN 'ApplyFailed' ELSE '' END, now(), now(), now()
             FROM bundles b CROSS JOIN clusters c CROSS JOIN LATERAL (SELECT abs(hashtext(b.name || c.name)) % 100 AS k) h`);
  await sql('ANALYZE');
}

async function time(hub: TestHub, path: string, check: (body: any) => void): Promise<number[]> {
  for (let i = 0; i < 10; i++) check((await hub.api('GET', path)).body); // warm-up
  const out: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const res = await hub.api('GET', path);
    out.push(performance.now() - t0);
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    if (i === 0) check(res.body);
  }
  return out.sort((a, b) => a - b);
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

async function main(): Promise<void> {
  log(`starting hub; seeding ${C} clusters × ${B} bundles`);
  const hub = await startHub();
  try {
    await seed(hub);
    const [{ n }] = (await query<{ n: number }>(hub.database.url, 'SELECT count(*)::int AS n FROM deployments')) as [{ n: number }];
    log(`${n} deployments seeded`);
    const summaries = await time(hub, `/api/v1/status/bundles?limit=1000`, (body) => {
      if (body.items.length !== B || body.items.reduce((a: number, b: { total: number }) => a + b.total, 0) !== n) throw new Error('summaries do not cover every deployment');
    });
    const behind = await time(hub, `/api/v1/deployments?bundle=bundle-001&notOnLatest=true&limit=1000`, (body) => {
      if (!body.items.length || body.items.some((d: { appliedRevision: string | null; stagedRevision: string }) => d.appliedRevision === d.stagedRevision)) throw new Error('notOnLatest is wrong');
    });
    const where = await time(hub, `/api/v1/deployments?revision=${encodeURIComponent('sha256:b7-v1')}&limit=1000`, (body) => {
      if (!body.items.length) throw new Error('no deployment on sha256:b7-v1');
    });
    const f = (ms: number) => ms.toFixed(1);
    const row = (name: string, t: number[]) => `| ${name} | ${f(pct(t, 50))} | ${f(pct(t, 95))} | ${f(t[t.length - 1]!)} | ${pct(t, 95) <= GOAL_P95_MS ? 'met' : 'NOT met'} |`;
    const text = [
      '# rollout — status queries at fleet size',
      '',
      `Run ${new Date().toISOString()} on ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; commit ${execFileSync('git', ['describe', '--always', '--dirty'], { encoding: 'utf8' }).trim()}.`,
      `Command: \`node bench/rollout/status-queries.ts --clusters ${C} --bundles ${B} --runs ${RUNS}\` (a real hub, one process, default settings; ${n.toLocaleString('en-US')} deployments seeded with SQL: 80 % Ready, 8 % OutOfSync, 4 % Pending, 2 % each NotReady, Modified, WaitApplied, ErrApplied).`,
      '',
      `Latency of the REST call as this script sees it (HTTP on localhost, JSON included), ${RUNS} runs after 10 warm-up calls, in ms:`,
      '',
      '| query | p50 | p95 | max | goal p95 ≤ 100 ms |',
      '|---|---:|---:|---:|---|',
      row(`counts by state for every bundle (\`GET /api/v1/status/bundles\`, ${B} bundles, worst state and rollout included)`, summaries),
      row('clusters not on the latest revision of a bundle (`GET /api/v1/deployments?bundle=…&notOnLatest=true`)', behind),
      row('where a revision runs (`GET /api/v1/deployments?revision=…`)', where),
      '',
    ].join('\n');
    writeFileSync(repoPath(opts.out!), text);
    process.stdout.write(text);
  } finally {
    await hub.dispose();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`status-queries failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
