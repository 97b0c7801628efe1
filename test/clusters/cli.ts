#!/usr/bin/env node
/**
 * Test clusters by hand (and for the demo):
 *
 *   node test/clusters/cli.ts build            build/cache all pinned binaries
 *   node test/clusters/cli.ts up 3 --workloads start cluster-1..3, leave them running
 *   node test/clusters/cli.ts status           clusters, processes, memory, cache
 *   node test/clusters/cli.ts down             stop all clusters, remove their dirs
 *
 * (`npm run clusters -- up 3` runs this file.) State lives in
 * <repo>/.clusters/<name>/ (override with FLOTILLA_CLUSTERS_DIR).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ALL_TOOLS, CLUSTER_TOOLS, REPO_ROOT, builtTools, cachedToolPath, cacheDir, ensureTools, toolVersions, type ToolName } from './build.ts';
import { readClusterState, startCluster, stopClusterDir, type Cluster } from './cluster.ts';
import { groupAlive, rssKiB } from './proc.ts';

const USAGE = `usage: node test/clusters/cli.ts <command>
  up [N] [--workloads] [--name PREFIX] [--nodes K]
                     start N clusters (default 1) named PREFIX-1..N (default "cluster"),
                     leave them running and print their kubeconfig paths
  down [NAME...]     stop the given clusters (default: all) and remove their dirs
  status             list clusters (processes, RSS, kubeconfig) and the binary cache
  build [TOOL...]    build the pinned binaries into the cache (default: all)
                     tools: ${ALL_TOOLS.join(', ')}`;

const statesDir = (): string => process.env.FLOTILLA_CLUSTERS_DIR || path.join(REPO_ROOT, '.clusters');

function clusterDirs(): string[] {
  const root = statesDir();
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => path.join(root, d.name))
    .sort();
}

function isRunning(dir: string): boolean {
  const state = readClusterState(dir);
  return !!state && state.processes.length > 0 && state.processes.every((p) => groupAlive(p.pgid));
}

async function up(args: string[]): Promise<number> {
  let count = 1;
  let workloads = false;
  let prefix = 'cluster';
  let nodes: number | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--workloads') workloads = true;
    else if (a === '--api-only') workloads = false;
    else if (a === '--name') prefix = args[++i] ?? prefix;
    else if (a === '--nodes') nodes = Number(args[++i]);
    else if (a && /^\d+$/.test(a)) count = Number(a);
    else throw new Error(`unknown argument ${a}\n${USAGE}`);
  }
  await ensureTools(CLUSTER_TOOLS[workloads ? 'workloads' : 'api-only'], { log: (l) => console.error(l) });
  const names = Array.from({ length: count }, (_, i) => `${prefix}-${i + 1}`);
  const toStart: string[] = [];
  for (const name of names) {
    const dir = path.join(statesDir(), name);
    if (fs.existsSync(dir)) {
      if (isRunning(dir)) {
        console.error(`${name}: already running`);
        continue;
      }
      console.error(`${name}: removing stale state in ${dir}`);
      await stopClusterDir(dir);
    }
    toStart.push(name);
  }
  const t0 = Date.now();
  console.error(`starting ${toStart.length} ${workloads ? 'workloads' : 'api-only'} cluster(s): ${toStart.join(', ') || '(none)'}`);
  const started: Cluster[] = [];
  const failures: unknown[] = [];
  await Promise.all(
    toStart.map(async (name) => {
      try {
        started.push(
          await startCluster({ name, workloads, persistent: true, dir: path.join(statesDir(), name), ...(nodes ? { nodes } : {}) }),
        );
      } catch (err) {
        failures.push(err);
      }
    }),
  );
  for (const c of started) console.error(`${c.name}: ready in ${c.startSeconds.toFixed(1)} s`);
  printClusters();
  console.error(`total ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  for (const f of failures) console.error(f instanceof Error ? f.message : String(f));
  return failures.length > 0 ? 1 : 0;
}

function printClusters(): void {
  const rows = clusterDirs().map((dir) => {
    const s = readClusterState(dir);
    if (!s) return { name: path.basename(dir), status: 'starting/broken', profile: '', server: '', rss: '', kubeconfig: '' };
    const alive = s.processes.filter((p) => groupAlive(p.pgid));
    const rss = s.processes.reduce((sum, p) => sum + rssKiB(p.pid), 0);
    return {
      name: s.name,
      status: alive.length === s.processes.length ? 'running' : `DEGRADED (${alive.length}/${s.processes.length} up)`,
      profile: s.profile,
      server: s.server,
      rss: `${Math.round(rss / 1024)} MiB`,
      kubeconfig: path.relative(process.cwd(), s.kubeconfigPath) || s.kubeconfigPath,
    };
  });
  if (rows.length === 0) {
    console.log('no clusters');
    return;
  }
  console.table(rows);
  const first = rows.find((r) => r.kubeconfig);
  const kubectl = cachedToolPath('kubectl');
  if (first) console.log(`\ne.g.  export KUBECONFIG=${first.kubeconfig}`);
  if (first && kubectl) console.log(`      ${path.relative(process.cwd(), kubectl) || kubectl} get nodes`);
}

async function down(names: string[]): Promise<number> {
  const dirs = clusterDirs().filter((d) => names.length === 0 || names.includes(path.basename(d)));
  if (dirs.length === 0) {
    console.log('no clusters');
    return 0;
  }
  let rc = 0;
  await Promise.all(
    dirs.map(async (dir) => {
      const survivors = await stopClusterDir(dir);
      if (survivors.length > 0) {
        rc = 1;
        console.error(`${path.basename(dir)}: process groups ${survivors.join(', ')} did not die`);
      } else console.log(`${path.basename(dir)}: stopped`);
    }),
  );
  if (fs.existsSync(statesDir()) && fs.readdirSync(statesDir()).length === 0) fs.rmdirSync(statesDir());
  return rc;
}

function status(): number {
  printClusters();
  const versions = toolVersions();
  const built = new Set(builtTools());
  console.log(`\nbinary cache: ${cacheDir()}`);
  console.table(ALL_TOOLS.map((t) => ({ tool: t, version: versions[t], built: built.has(t) ? 'yes' : 'no' })));
  return 0;
}

async function build(args: string[]): Promise<number> {
  const tools = args.length > 0 ? (args as ToolName[]) : ALL_TOOLS;
  const res = await ensureTools(tools, { log: (l) => console.error(l) });
  if (res.built.length === 0) console.log(`cache hit: ${res.binDir} (nothing to build)`);
  else {
    const parts = Object.entries(res.seconds).map(([m, s]) => `${m} ${s.toFixed(0)} s`);
    console.log(`built ${res.built.join(', ')} in ${res.totalSeconds.toFixed(0)} s (${parts.join(', ')}) into ${res.binDir}`);
  }
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'up':
      return up(rest);
    case 'down':
      return down(rest);
    case 'status':
      return status();
    case 'build':
      return build(rest);
    default:
      console.error(USAGE);
      return cmd === undefined || cmd === 'help' || cmd === '--help' ? 0 : 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
