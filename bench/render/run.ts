/**
 * Render benchmark (issue #10).
 *
 *   node bench/render/run.ts [--raw 100] [--kustomize 50] [--helm 50] [--clusters 20] [--concurrency 2]
 *                            [--out bench/render/RESULTS.md]
 *
 * A generated tree of bundle directories (raw YAML, Kustomize, Helm; each
 * customised per environment by its fleet.yaml) uploaded to one real hub
 * (hub/dist/main.js, all roles, FLOTILLA_RENDER_CONCURRENCY render workers)
 * that targets every bundle at N clusters in 3 environments. Reported in one run:
 *
 * 1. baseline: the same `helm template` / `kustomize build` calls, one per
 *    (tool bundle, environment), run one after another by a plain shell loop;
 * 2. cold: every bundle uploaded (tarball through the bundle API) until every
 *    bundle is Rendered and every deployment has its revision; renders executed
 *    (rows in bundle_renders) against the distinct customisations (bundles × 3)
 *    and the deployments (bundles × clusters);
 * 3. unchanged: every bundle uploaded again with the same files: renders
 *    executed (must be 0) and the time until the hub answered all uploads;
 * 4. the floor: the cold phase's renders by the render library alone in the
 *    benchmark's process (library-floor.ts: no hub, no database), as many at a
 *    time as the hub's render workers: what no hub on this library goes below.
 *
 * Goal (issue #10): cold ≤ 1.2 × baseline ÷ cores used; unchanged ≤ 1 s.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { toolPath } from '../../test/clusters/index.ts';
import { register } from '../../test/support/agent-client.ts';
import { archiveOf } from '../../test/support/bundle-archive.ts';
import { query } from '../../test/support/database.ts';
import { startHub, type TestHub } from '../../test/support/hub.ts';
import { childPids, cpuSeconds, cpuSecondsOfCommand, cpuSecondsWithChildren, findHubPid, machineBusySeconds, machineStealSeconds, procStatus } from '../support/proc.ts';
import { libraryFloor } from './library-floor.ts';
import { benchTree, ENVS, helmValues, writeTree, type BenchBundle } from './tree.ts';

const { values: opts } = parseArgs({
  options: {
    raw: { type: 'string', default: '100' },
    kustomize: { type: 'string', default: '50' },
    helm: { type: 'string', default: '50' },
    clusters: { type: 'string', default: '20' },
    concurrency: { type: 'string', default: String(cpus().length) },
    out: { type: 'string', default: 'bench/render/RESULTS.md' },
  },
});
const CLUSTERS = Number(opts.clusters);
const CONCURRENCY = Number(opts.concurrency);
const log = (line: string) => process.stderr.write(`render-bench: ${line}\n`);
const seconds = (ms: number) => (ms / 1000).toFixed(2);

/** The shell-loop baseline: every tool call a cold render needs, sequentially, by `sh`. */
function baseline(bundles: BenchBundle[], helm: string, kustomize: string): { ms: number; calls: number } {
  const root = mkdtempSync(join(tmpdir(), 'flotilla-render-bench-'));
  try {
    const lines = ['set -e', `export HOME=${root}/.home HELM_CACHE_HOME=${root}/.helm HELM_CONFIG_HOME=${root}/.helm HELM_DATA_HOME=${root}/.helm`];
    for (const env of ENVS) writeFileSync(join(root, `values-${env}.yaml`), helmValues(env));
    for (const b of bundles) {
      writeTree(join(root, b.name), b.files);
      for (const env of ENVS) {
        if (b.kind === 'helm') lines.push(`"${helm}" template ${b.name} ${root}/${b.name} --namespace ${b.name} -f ${root}/values-${env}.yaml > /dev/null`);
        if (b.kind === 'kustomize') lines.push(`"${kustomize}" build ${root}/${b.name}/envs/${env} > /dev/null`);
      }
    }
    writeFileSync(join(root, 'loop.sh'), `${lines.join('\n')}\n`);
    const start = performance.now();
    const run = spawnSync('sh', [join(root, 'loop.sh')], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`baseline loop failed: ${run.stderr}`);
    return { ms: performance.now() - start, calls: lines.length - 2 };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** CPU seconds of the hub itself (utime + stime) and of its waited-for children (helm, kustomize). */
/**
 * CPU seconds so far: the hub's own; the tools' (what the hub waited for of its children, plus the tool host
 * it starts helm and kustomize from, with the tools that host waited for); PostgreSQL's; the whole machine's.
 */
function cpu(pid: number): { hub: number; tools: number; postgres: number; redis: number; bench: number; machine: number; steal: number } {
  const host = childPids(pid, 'tool-host.js').reduce((sum, p) => sum + cpuSecondsWithChildren(p), 0);
  const hub = cpuSeconds(pid);
  const own = process.cpuUsage();
  return {
    hub,
    tools: cpuSecondsWithChildren(pid) - hub + host,
    postgres: cpuSecondsOfCommand('postgres'),
    redis: cpuSecondsOfCommand('redis-server'),
    bench: (own.user + own.system) / 1e6,
    machine: machineBusySeconds(),
    steal: machineStealSeconds(),
  };
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 30 * 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function putAll(hub: TestHub, bundles: BenchBundle[], archives: Map<string, string>, run: string): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < bundles.length) {
      const b = bundles[next++]!;
      const res = await hub.api('PUT', `/api/v1/bundles/${b.name}`, { directory: { archive: archives.get(b.name)! }, targets: [{ clusterSelector: { matchLabels: { run } } }] });
      if (res.status !== 200 && res.status !== 201) throw new Error(`PUT ${b.name}: ${res.status} ${JSON.stringify(res.body)}`);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

/**
 * The hub's event-loop delay (ms) since the previous call: prom-client's histogram is reset by every scrape of
 * /metrics, so a scrape before a phase and one after it read that phase alone. What a stream or an API call
 * may wait behind render work.
 */
async function loopDelay(hub: TestHub): Promise<{ p99: number; max: number }> {
  const text = (await hub.api('GET', '/metrics')).body as string;
  const read = (name: string) => Number(new RegExp(`^flotilla_hub_nodejs_eventloop_lag_${name}_seconds(?:\\{[^}]*\\})? ([\\d.e+-]+)`, 'm').exec(text)?.[1] ?? NaN) * 1000;
  return { p99: read('p99'), max: read('max') };
}

const one = async (hub: TestHub, sql: string, params: unknown[] = []) => (await query<{ n: number }>(hub.database.url, sql, params))[0]!.n;

/** Idle RSS (MiB) of a fresh hub process with the given roles, 15 s after it is ready: what a role costs to run. */
async function idleRss(roles: string, env: Record<string, string>): Promise<number> {
  const hub = await startHub({ env: { ...env, FLOTILLA_ROLE: roles } });
  try {
    await new Promise((r) => setTimeout(r, 15_000));
    return procStatus(findHubPid()).VmRSS! / 1024;
  } finally {
    await hub.dispose();
  }
}

async function main(): Promise<void> {
  const bundles = benchTree({ raw: Number(opts.raw), kustomize: Number(opts.kustomize), helm: Number(opts.helm) });
  const [helm, kustomize] = [await toolPath('helm'), await toolPath('kustomize')];
  log(`baseline: shell loop over ${bundles.filter((b) => b.kind !== 'raw').length * ENVS.length} tool calls`);
  const base = baseline(bundles, helm, kustomize);
  log(`floor: the same renders by the render library alone, ${CONCURRENCY} at a time`);
  const floor = await libraryFloor(bundles, helm, kustomize, CONCURRENCY);

  log('idle RSS by role');
  const tools = { FLOTILLA_HELM: helm, FLOTILLA_KUSTOMIZE: kustomize };
  const rss = { all: await idleRss('api,gateway,render', tools), front: await idleRss('api,gateway', tools), render: await idleRss('render', tools) };

  // HUB_NODE_OPTIONS (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`) profiles the hub process.
  const profile: Record<string, string> = process.env.HUB_NODE_OPTIONS ? { NODE_OPTIONS: process.env.HUB_NODE_OPTIONS } : {};
  const hub = await startHub({ env: { FLOTILLA_HELM: helm, FLOTILLA_KUSTOMIZE: kustomize, FLOTILLA_RENDER_CONCURRENCY: String(CONCURRENCY), ...profile } });
  try {
    const pid = findHubPid();
    const run = Math.random().toString(36).slice(2, 10);
    const token = (await hub.api('POST', '/api/v1/registration-tokens', { maxUses: CLUSTERS })).body.token as string;
    for (let i = 0; i < CLUSTERS; i++) {
      await register(hub, { token, identity: `bench-${run}-${i}`, name: `c-${i}`, labels: { run, env: ENVS[i % ENVS.length]! } });
    }
    const archives = new Map<string, string>();
    for (const b of bundles) archives.set(b.name, await archiveOf(b.files));
    const deployments = bundles.length * CLUSTERS;

    log(`cold: ${bundles.length} bundles × ${CLUSTERS} clusters`);
    await loopDelay(hub);
    const cpu0 = cpu(pid);
    const t0 = performance.now();
    await putAll(hub, bundles, archives, run);
    const uploadedMs = performance.now() - t0;
    await waitFor('every bundle rendered and delivered', async () => {
      const rendered = await one(hub, `SELECT count(*)::int AS n FROM bundles WHERE render_state = 'Rendered'`);
      const failed = await one(hub, `SELECT count(*)::int AS n FROM bundles WHERE render_state = 'Failed'`);
      if (failed) throw new Error(`${failed} bundle(s) failed to render: ${JSON.stringify(await query(hub.database.url, `SELECT name, render_message FROM bundles WHERE render_state = 'Failed' LIMIT 3`))}`);
      return rendered === bundles.length && (await one(hub, `SELECT count(*)::int AS n FROM deployments`)) === deployments;
    });
    const coldMs = performance.now() - t0;
    const cpu1 = cpu(pid);
    const delay = await loopDelay(hub);
    const coldCpu = Object.fromEntries(Object.keys(cpu0).map((k) => [k, cpu1[k as keyof typeof cpu1] - cpu0[k as keyof typeof cpu0]])) as typeof cpu0;
    // The cold render cannot end sooner on this machine unless something does less work.
    const floorMs = ((coldCpu.hub + coldCpu.tools + coldCpu.postgres) / cpus().length) * 1000;
    const renders = await one(hub, `SELECT count(*)::int AS n FROM bundle_renders`);
    const revisions = await one(hub, `SELECT count(DISTINCT desired_revision)::int AS n FROM deployments`);

    log('unchanged: the same files uploaded again');
    const since = (await query<{ now: string }>(hub.database.url, `SELECT (now() AT TIME ZONE 'UTC')::text AS now`))[0]!.now;
    const t1 = performance.now();
    await putAll(hub, bundles, archives, run);
    const unchangedMs = performance.now() - t1;
    await new Promise((r) => setTimeout(r, 3000)); // any render job the uploads queued would have started by now
    const reRenders = await one(hub, `SELECT count(*)::int AS n FROM bundle_renders WHERE rendered_at > $1::timestamp`, [since]);
    const moved = await one(hub, `SELECT count(*)::int AS n FROM deployments WHERE updated_at > $1::timestamp`, [since]);

    const goalCold = (1.2 * base.ms) / CONCURRENCY;
    const rows = [
      `| baseline: shell loop, ${base.calls} tool calls, sequential | ${seconds(base.ms)} s | — |`,
      `| cold: ${bundles.length} bundles × ${CLUSTERS} clusters, ${CONCURRENCY} render workers | ${seconds(coldMs)} s (uploads answered in ${seconds(uploadedMs)} s; CPU: hub ${coldCpu.hub.toFixed(1)} s, helm/kustomize ${coldCpu.tools.toFixed(1)} s, PostgreSQL ${coldCpu.postgres.toFixed(1)} s, Redis ${coldCpu.redis.toFixed(1)} s, this benchmark ${coldCpu.bench.toFixed(1)} s, whole machine ${coldCpu.machine.toFixed(1)} core-s of which ${coldCpu.steal.toFixed(1)} stolen by the hypervisor; floor of that work on ${cpus().length} cores ${seconds(floorMs)} s) | ≤ 1.2 × baseline ÷ ${CONCURRENCY} = ${seconds(goalCold)} s: ${coldMs <= goalCold ? 'met' : 'NOT met'} |`,
      `| the cold phase's renders by the render library alone (no hub, no database), ${CONCURRENCY} at a time | ${seconds(floor.ms)} s for ${floor.renders} renders (CPU: the library ${floor.nodeCpu.toFixed(1)} s, helm/kustomize and the tool host ${floor.toolCpu.toFixed(1)} s) | ${floor.ms <= goalCold ? 'at or under' : 'above'} the cold goal's ${seconds(goalCold)} s |`,
      `| hub event-loop delay during cold (what streams and API calls waited behind) | p99 ${delay.p99.toFixed(1)} ms, max ${delay.max.toFixed(1)} ms | — |`,
      `| renders executed (cold) | ${renders} (distinct customisations ${bundles.length * ENVS.length}, deployments ${deployments}, distinct revisions ${revisions}) | = distinct customisations: ${renders === bundles.length * ENVS.length ? 'met' : 'NOT met'} |`,
      `| idle hub RSS by FLOTILLA_ROLE (what the all-in-one default costs) | all roles ${rss.all.toFixed(0)} MiB; api,gateway ${rss.front.toFixed(0)} MiB; render ${rss.render.toFixed(0)} MiB | — |`,
      `| unchanged re-upload of every bundle | ${seconds(unchangedMs)} s, ${reRenders} renders, ${moved} deployments written | ≤ 1 s and 0 renders: ${unchangedMs <= 1000 && reRenders === 0 ? 'met' : 'NOT met'} |`,
    ];
    const report = [
      '# bench/render — results',
      '',
      `Run ${new Date().toISOString()} on ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}.`,
      '',
      `Command: \`node bench/render/run.ts --raw ${opts.raw} --kustomize ${opts.kustomize} --helm ${opts.helm} --clusters ${CLUSTERS} --concurrency ${CONCURRENCY}\``,
      '',
      '| measure | result | goal |',
      '|---|---|---|',
      ...rows,
      '',
    ].join('\n');
    writeFileSync(opts.out!, report);
    process.stdout.write(report);
  } finally {
    await hub.dispose();
  }
}

await main();
