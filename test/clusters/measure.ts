/**
 * Measures the harness and prints small tables:
 *   - build: the cache's build record (or, with --cold, a real cold build of
 *     every tool into a throwaway cache and GOCACHE — takes many minutes);
 *   - cached start time per profile (median of --runs, default 3);
 *   - three workloads clusters started at once: time to ready and RSS per
 *     cluster (sum over its processes), idle and with a 10-pod Deployment.
 *
 *   node test/clusters/measure.ts [--runs N] [--cold]
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ALL_TOOLS, cacheDir, ensureTools, toolBinDir, type BuildResult } from './build.ts';
import { ApiClient, startCluster, startClusters, stopClusters, type Cluster, type Profile } from './cluster.ts';
import { rssKiB } from './proc.ts';

const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1]) || 3;
const cold = args.includes('--cold');

const mib = (kib: number): string => `${(kib / 1024).toFixed(0)} MiB`;
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
};

function clusterRss(c: Cluster): { total: number; parts: Record<string, number> } {
  const parts: Record<string, number> = {};
  for (const p of c.processes) parts[p.component] = rssKiB(p.pid);
  return { total: Object.values(parts).reduce((a, b) => a + b, 0), parts };
}

async function waitAvailable(api: ApiClient, ns: string, name: string, replicas: number): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const res = await api.get(`/apis/apps/v1/namespaces/${ns}/deployments/${name}`);
    if (res.status === 200) {
      const d = JSON.parse(res.body) as { status?: { availableReplicas?: number } };
      if (d.status?.availableReplicas === replicas) return;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`deployment ${ns}/${name} not available`);
}

async function deploy(c: Cluster, replicas: number): Promise<void> {
  const api = new ApiClient(c.server, c.credentials);
  const ns = 'measure';
  await api.request('POST', '/api/v1/namespaces', { metadata: { name: ns } });
  const res = await api.request('POST', `/apis/apps/v1/namespaces/${ns}/deployments`, {
    metadata: { name: 'load' },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'load' } },
      template: { metadata: { labels: { app: 'load' } }, spec: { containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.10' }] } },
    },
  });
  if (res.status !== 201) throw new Error(`create deployment: ${res.status} ${res.body}`);
  await waitAvailable(api, ns, 'load', replicas);
}

async function main(): Promise<void> {
  console.log(`machine: ${os.cpus().length} cores, ${(os.totalmem() / 1024 ** 3).toFixed(0)} GiB, node ${process.version}`);

  // --- build ---------------------------------------------------------------
  if (cold) {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-cold-build-'));
    process.env.FLOTILLA_CLUSTER_CACHE = path.join(tmp, 'cache');
    process.env.GOCACHE = path.join(tmp, 'gocache');
    console.log(`cold build into ${tmp} (empty GOCACHE; modules come from the module cache/proxy)…`);
    try {
      const res: BuildResult = await ensureTools(ALL_TOOLS, { log: (l) => console.log(l) });
      console.table(Object.entries(res.seconds).map(([module, s]) => ({ 'go build': module, seconds: s.toFixed(0) })));
      console.log(`cold build total: ${res.totalSeconds.toFixed(0)} s`);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
      delete process.env.FLOTILLA_CLUSTER_CACHE;
      delete process.env.GOCACHE;
    }
  }
  const t0 = Date.now();
  const cached = await ensureTools(ALL_TOOLS);
  console.log(`cache check: ${((Date.now() - t0) / 1000).toFixed(2)} s, built now: ${cached.built.join(', ') || 'nothing'} (${cacheDir()})`);
  try {
    const record = JSON.parse(fs.readFileSync(path.join(cacheDir(), 'builds.json'), 'utf8')) as {
      at: string;
      seconds: Record<string, number>;
      totalSeconds: number;
    }[];
    console.log('build record of this cache key (per `go build`, one per Go module):');
    console.table(record.map((r) => ({ at: r.at, total: r.totalSeconds.toFixed(0), ...Object.fromEntries(Object.entries(r.seconds).map(([k, v]) => [k, v.toFixed(0)])) })));
  } catch {
    // no record
  }
  const sizes = ALL_TOOLS.map((t) => ({ tool: t, size: `${(fs.statSync(path.join(toolBinDir(t), t)).size / 1024 ** 2).toFixed(0)} MiB` }));
  console.table(sizes);

  // --- single-cluster start times --------------------------------------------
  const startRows: Record<string, string>[] = [];
  for (const profile of ['api-only', 'workloads'] as Profile[]) {
    const times: number[] = [];
    const rss: number[] = [];
    let parts: Record<string, number> = {};
    for (let i = 0; i < runs; i++) {
      const c = await startCluster({ profile, name: `measure-${i}` });
      times.push(c.startSeconds);
      const r = clusterRss(c);
      rss.push(r.total);
      parts = r.parts;
      await c.stop();
    }
    startRows.push({
      profile,
      'start (median)': `${median(times).toFixed(2)} s`,
      'start (all)': times.map((t) => t.toFixed(2)).join(' / '),
      'RSS at ready': mib(median(rss)),
      components: Object.entries(parts)
        .map(([k, v]) => `${k} ${mib(v)}`)
        .join(', '),
    });
  }
  console.log('\none cluster at a time, cached binaries:');
  console.table(startRows);

  // --- three workloads clusters at once --------------------------------------
  const t1 = Date.now();
  const clusters = await startClusters(3, { workloads: true, name: 'measure3' });
  const allReady = (Date.now() - t1) / 1000;
  try {
    const idle = clusters.map(clusterRss);
    await Promise.all(clusters.map((c) => deploy(c, 10)));
    // Let the controllers settle after the rollout.
    await new Promise((r) => setTimeout(r, 5000));
    const loaded = clusters.map(clusterRss);
    console.log(`\nthree workloads clusters started concurrently: all ready in ${allReady.toFixed(1)} s`);
    console.table(
      clusters.map((c, i) => ({
        cluster: c.name,
        'ready after': `${c.startSeconds.toFixed(1)} s`,
        'RSS idle': mib(idle[i]?.total ?? 0),
        'RSS with 10 pods': mib(loaded[i]?.total ?? 0),
        components: Object.entries(loaded[i]?.parts ?? {})
          .map(([k, v]) => `${k} ${mib(v)}`)
          .join(', '),
      })),
    );
    const sum = loaded.reduce((a, r) => a + r.total, 0);
    console.log(`RSS of all three: ${mib(sum)} (budget 3072 MiB)`);
  } finally {
    await stopClusters(clusters);
  }
}

await main();
