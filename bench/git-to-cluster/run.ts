/**
 * Git-to-cluster benchmark (issue #11).
 *
 *   node bench/git-to-cluster/run.ts [--rounds 5] [--repos 200] [--window 60] [--settle 30] [--only a|b]
 *                                    [--max-load 2.5] [--max-wait 600] [--cpu-profile DIR]
 *                                    [--out bench/git-to-cluster/RESULTS.md | -]
 *
 * (a) webhook push → all 3 clusters report the new revision applied. One hub
 *     (hub/dist/main.js, all roles), 3 workloads test clusters with real agent
 *     processes (labels env=prod, prod, dev; the agent's production report
 *     interval), one GitRepo over smart HTTP (`git http-backend`) with
 *     `pollingInterval: 3600` and a webhookSecret, so only the webhook can
 *     trigger a sync; the repository holds one raw-YAML bundle (a Namespace and
 *     a ConfigMap in it). After a warm-up (the initial sync Ready on all 3),
 *     each round commits a new ConfigMap value, starts the clock, POSTs a signed
 *     GitHub push webhook and polls every 50 ms until every cluster's deployment
 *     is Ready with its applied revision equal to its (new) desired revision in
 *     `GET /api/v1/bundles/:name/status`. Milestones per round, from the POST:
 *     the hub's 202; the GitRepo's status.commit = the pushed sha; every
 *     deployment at a new desired revision (rendered and delivered to the
 *     deployments); the new value live in the ConfigMap on all 3 clusters (read
 *     from their API servers); all 3 reported applied (the headline).
 * (b) hub CPU while polling N unchanged GitRepos every 15 s. A fresh hub (own
 *     database, no clusters), N distinct bare repositories (one commit each,
 *     made with `git fast-import`) behind one smart HTTP server. Baseline: the
 *     same hub process with 0 GitRepos over the same window, after --settle s.
 *     Then N GitRepos (pollingInterval 15, one raw bundle each, no targets);
 *     once all synced once, --settle s, then a --window s window: hub CPU % of
 *     one core from /proc/<pid>/stat (utime+stime, and with cutime+cstime: the
 *     git processes the hub waited for), HTTP requests the git server received
 *     (each poll is one protocol-v2 ls-refs POST; a fetch would add a GET of
 *     info/refs), fetchedAt unchanged and polledAt moved on every GitRepo,
 *     PostgreSQL transactions of the hub's database and Redis commands
 *     (server-wide) in the window, and the git server's own CPU (its
 *     `git http-backend` children, reaped by this process).
 *
 * --cpu-profile DIR: (b)'s hub runs with --inspect and is CPU-profiled over
 * both windows (inspector, as bench/idle-agents); the summaries go into the
 * report. Profiling costs CPU itself: use it to attribute time, not for the
 * headline (run without it for RESULTS.md). --out - prints the report only.
 * Before starting it waits (up to --max-wait s) for the 1-minute load average
 * to fall to --max-load, and says in the report if it ran above it.
 *
 * Goals (issue #11): (a) median ≤ 5 s; (b) ≤ 5 % of one core.
 * Everything it starts (clusters, agents, hub, database, git server, temp
 * repositories) is removed at the end, on failure and on Ctrl-C.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { isNotFound } from '../../agent/dist/kube/kube-api-error.js';
import { createKubeClient, type KubeClient } from '../../agent/dist/kube/kube-client.js';
import { kubeconfigConnection } from '../../agent/dist/kube/kubeconfig.js';
import { agentBuilt, agentProcess, type AgentProcess } from '../../test/agent/agent-process.ts';
import { startClusters, toolPath, type Cluster } from '../../test/clusters/index.ts';
import { query } from '../../test/support/database.ts';
import { createRepo, gitEnv, runGit, startSmartHttpServer, type SmartHttpServer } from '../../test/support/git-server.ts';
import { startHub, type TestHub } from '../../test/support/hub.ts';
import { Inspector, summarize, type CpuProfile } from '../idle-agents/profile.ts';
import { findHubPid } from '../support/proc.ts';

const { values: opts } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    repos: { type: 'string', default: '200' },
    window: { type: 'string', default: '60' },
    settle: { type: 'string', default: '30' },
    only: { type: 'string' },
    'max-load': { type: 'string', default: '2.5' },
    'max-wait': { type: 'string', default: '600' },
    'cpu-profile': { type: 'string' },
    out: { type: 'string', default: 'bench/git-to-cluster/RESULTS.md' },
  },
});
const ROUNDS = Number(opts.rounds);
const REPOS = Number(opts.repos);
const WINDOW_S = Number(opts.window);
const SETTLE_S = Number(opts.settle);
const ONLY = opts.only;
if (ONLY !== undefined && ONLY !== 'a' && ONLY !== 'b') throw new Error('--only must be a or b');
const POLL_INTERVAL_S = 15;
const GOAL_A_S = 5;
const GOAL_B_PCT = 5;
const SECRET = 'flotilla-bench-webhook-secret';
const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

const log = (line: string) => process.stderr.write(`git-to-cluster: ${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const s2 = (ms: number) => (ms / 1000).toFixed(2);
const load1 = () => loadavg()[0]!.toFixed(2);

// ---------------------------------------------------------------------------
// Cleanup: every part registers what it started; all of it goes at the end, on failure and on Ctrl-C.

const openScopes = new Set<Scope>();
class Scope {
  private fns: (() => Promise<void> | void)[] = [];
  constructor() {
    openScopes.add(this);
  }
  defer(fn: () => Promise<void> | void): void {
    this.fns.push(fn);
  }
  async close(): Promise<void> {
    openScopes.delete(this);
    const fns = this.fns.reverse();
    this.fns = [];
    for (const fn of fns) {
      try {
        await fn();
      } catch (error) {
        log(`cleanup: ${(error as Error).message}`);
      }
    }
  }
}
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    log(`${signal}: cleaning up`);
    void Promise.all([...openScopes].map((s) => s.close())).finally(() => process.exit(130));
  });
}

// ---------------------------------------------------------------------------
// Helpers

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** utime+stime and cutime+cstime of a process, in seconds. */
function procCpu(pid: number | 'self'): { own: number; children: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
  return { own: (f[11]! + f[12]!) / CLK_TCK, children: (f[13]! + f[14]!) / CLK_TCK };
}

async function waitFor<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs: number, intervalMs = 200): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await sleep(intervalMs);
  }
}

/** Waits (up to --max-wait) until the 1-minute load average is at most --max-load; returns what it saw. */
async function waitForQuiet(): Promise<{ load: number; waitedS: number }> {
  const max = Number(opts['max-load']);
  const started = Date.now();
  while (loadavg()[0]! > max && Date.now() - started < Number(opts['max-wait']) * 1000) {
    log(`load ${load1()} > ${max}: waiting a minute`);
    await sleep(60_000);
  }
  return { load: loadavg()[0]!, waitedS: Math.round((Date.now() - started) / 1000) };
}

const ns = (name: string) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n`;
const cm = (namespace: string, value: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bench\n  namespace: ${namespace}\ndata:\n  value: "${value}"\n`;

async function kubeFor(cluster: Cluster): Promise<KubeClient> {
  return createKubeClient(await kubeconfigConnection(cluster.kubeconfigPath));
}

async function readOrUndefined(kube: KubeClient, path: string): Promise<any> {
  try {
    return await kube.request('GET', path);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** A GitHub push delivery for `cloneUrl`, signed as GitHub signs it (HMAC-SHA256 of the exact body). */
function githubPush(cloneUrl: string, before: string, after: string): { headers: Record<string, string>; body: string } {
  const body = JSON.stringify({
    ref: 'refs/heads/main',
    before,
    after,
    repository: { name: 'remote', full_name: 'bench/remote', clone_url: cloneUrl },
    head_commit: { id: after, message: 'bench' },
  });
  return {
    headers: {
      'content-type': 'application/json',
      'user-agent': 'GitHub-Hookshot/bench',
      'x-github-event': 'push',
      'x-github-delivery': randomUUID(),
      'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`,
    },
    body,
  };
}

interface DeploymentItem {
  clusterName: string;
  state: string;
  desiredRevision: string;
  appliedRevision: string | null;
}

async function bundleItems(hub: TestHub, bundle: string): Promise<DeploymentItem[]> {
  const res = await hub.api('GET', `/api/v1/bundles/${bundle}/status`);
  if (res.status === 404) return [];
  if (res.status !== 200) throw new Error(`bundle status ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body.items as DeploymentItem[];
}

const allApplied = (items: DeploymentItem[], n: number) =>
  items.length === n && items.every((d) => d.state === 'Ready' && d.appliedRevision === d.desiredRevision);

// ---------------------------------------------------------------------------
// (a) webhook → 3 clusters

const LABELS = [
  { env: 'prod', region: 'eu' },
  { env: 'prod', region: 'us' },
  { env: 'dev', region: 'eu' },
];
const APP_NS = 'bench-git';
const AGENT_NS = 'flotilla-system';

interface Round {
  round: number;
  sha: string;
  accepted: number;
  syncStarted: number;
  fetchDone: number;
  commit: number;
  desired: number;
  live: number;
  applied: number;
  gitRequests: string[];
}

interface ResultA {
  rounds: Round[];
  warmupMs: number;
  loadBefore: string;
  loadAfter: string;
}

async function partA(): Promise<ResultA> {
  agentBuilt();
  const scope = new Scope();
  try {
    const loadBefore = load1();
    const repo = await createRepo();
    scope.defer(() => repo.dispose());
    await repo.writeFiles({ 'app/namespace.yaml': ns(APP_NS), 'app/configmap.yaml': cm(APP_NS, 'warm-up') });
    let sha = await repo.commit('warm-up');
    const server = await startSmartHttpServer({ root: repo.root });
    scope.defer(() => server.close());
    const url = server.url(repo.name);

    log('(a) starting the hub and 3 workloads clusters');
    const [helm, kustomize] = [await toolPath('helm'), await toolPath('kustomize')];
    const hubStarting = startHub({ env: { FLOTILLA_HELM: helm, FLOTILLA_KUSTOMIZE: kustomize } });
    const clustersStarting = startClusters(3, { workloads: true });
    // Register both cleanups before awaiting either, so a failure of one still removes the other.
    scope.defer(async () => {
      const started = await clustersStarting.catch(() => [] as Cluster[]);
      await Promise.all(started.map((c) => c.stop()));
    });
    scope.defer(async () => (await hubStarting.catch(() => undefined))?.dispose());
    const [hub, clusters] = await Promise.all([hubStarting, clustersStarting]);

    const token = (await hub.api('POST', '/api/v1/registration-tokens', { maxUses: 3, ttlSeconds: 3600 })).body.token as string;
    const kubes: KubeClient[] = [];
    const agents: AgentProcess[] = [];
    scope.defer(async () => {
      await Promise.all(agents.map((a) => a.stop()));
      for (const k of kubes) k.close();
    });
    for (const [i, cluster] of clusters.entries()) {
      const kube = await kubeFor(cluster);
      kubes.push(kube);
      await kube.request('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: AGENT_NS } } });
      const agent = agentProcess({
        hubAddress: hub.grpcAddress,
        caFile: hub.tls!.caFile,
        token,
        kubeconfigPath: cluster.kubeconfigPath,
        clusterName: cluster.name,
        labels: LABELS[i]!,
        namespace: AGENT_NS,
        // The agent's production defaults, not the test harness's faster periodic re-report.
        env: { FLOTILLA_REPORT_INTERVAL_SECONDS: '60', FLOTILLA_LOG_LEVEL: 'info' },
      });
      agent.start();
      agents.push(agent);
    }

    log('(a) warm-up: the GitRepo and its initial sync, Ready on all 3');
    const tWarm = performance.now();
    const put = await hub.api('PUT', '/api/v1/gitrepos/bench', {
      repo: url,
      branch: 'main',
      paths: ['app'],
      targets: [{ clusterSelector: { matchExpressions: [{ key: 'env', operator: 'Exists' }] } }],
      webhookSecret: SECRET,
      pollingInterval: 3600,
    });
    if (put.status !== 201) throw new Error(`PUT gitrepo: ${put.status} ${JSON.stringify(put.body)}`);
    const bundle = await waitFor(
      'the GitRepo Ready with its bundle',
      async () => {
        const st = (await hub.api('GET', '/api/v1/gitrepos/bench')).body.status;
        return st.ready && st.commit?.sha === sha && st.bundles.length === 1 ? (st.bundles[0].name as string) : undefined;
      },
      300_000,
    );
    await waitFor('the initial sync applied on all 3 clusters', async () => allApplied(await bundleItems(hub, bundle), 3), 300_000);
    const warmupMs = performance.now() - tWarm;
    log(`(a) warm-up done in ${s2(warmupMs)} s (bundle ${bundle})`);
    await sleep(3000);

    const rounds: Round[] = [];
    for (let r = 1; r <= ROUNDS; r++) {
      const before = new Map((await bundleItems(hub, bundle)).map((d) => [d.clusterName, d.desiredRevision]));
      const value = `round-${r}`;
      await repo.writeFiles({ 'app/configmap.yaml': cm(APP_NS, value) });
      const previous = sha;
      sha = await repo.commit(value);
      const delivery = githubPush(url, previous, sha);

      // The git server's side, sampled every 5 ms: when the sync's first request (the ls-refs poll)
      // arrived, and when its last one (the fetch) finished.
      const [requests0, log0] = [server.requests, server.log.length];
      let syncStarted: number | undefined;
      let fetchDone: number | undefined;
      let seenLog = log0;
      const t0 = performance.now();
      const at = () => performance.now() - t0;
      const sampler = setInterval(() => {
        if (syncStarted === undefined && server.requests > requests0) syncStarted = at();
        if (server.log.length > seenLog) {
          seenLog = server.log.length;
          fetchDone = at();
        }
      }, 5);
      scope.defer(() => clearInterval(sampler));
      const response = await fetch(`${hub.httpUrl}/api/v1/webhooks/git`, { method: 'POST', headers: delivery.headers, body: delivery.body });
      const accepted = at();
      const answer = (await response.json()) as { status?: string; gitRepos?: string[] };
      if (response.status !== 202 || !answer.gitRepos?.includes('bench')) throw new Error(`webhook: ${response.status} ${JSON.stringify(answer)}`);

      let commit: number | undefined;
      let desired: number | undefined;
      let live: number | undefined;
      let applied: number | undefined;
      const deadline = Date.now() + 120_000;
      while (applied === undefined || live === undefined || commit === undefined) {
        if (Date.now() > deadline) throw new Error(`round ${r}: not applied within 120 s (commit ${commit}, desired ${desired}, live ${live})`);
        await Promise.all([
          commit === undefined &&
            hub.api('GET', '/api/v1/gitrepos/bench').then((res) => {
              if (res.body?.status?.commit?.sha === sha) commit = at();
            }),
          applied === undefined &&
            bundleItems(hub, bundle).then((items) => {
              const moved = items.length === 3 && items.every((d) => d.desiredRevision !== before.get(d.clusterName));
              if (moved && desired === undefined) desired = at();
              if (moved && allApplied(items, 3)) applied = at();
            }),
          live === undefined &&
            Promise.all(kubes.map((k) => readOrUndefined(k, `/api/v1/namespaces/${APP_NS}/configmaps/bench`))).then((objs) => {
              if (objs.every((o) => o?.data?.value === value)) live = at();
            }),
        ]);
        await sleep(50);
      }
      clearInterval(sampler);
      const gitRequests = server.log.slice(log0).map((q) => `${q.method} ${q.url.replace(/^.*\.git/, '').replace(/\?.*$/, '')} ${q.status}`);
      const round: Round = { round: r, sha, accepted, syncStarted: syncStarted ?? NaN, fetchDone: fetchDone ?? NaN, commit: commit!, desired: desired!, live: live!, applied: applied!, gitRequests };
      rounds.push(round);
      log(`(a) round ${r}: applied on all 3 in ${s2(round.applied)} s (202 ${s2(accepted)}, ls-refs ${s2(round.syncStarted)}, fetched ${s2(round.fetchDone)}, commit ${s2(round.commit)}, rendered ${s2(round.desired)}, live ${s2(round.live)})`);
      await sleep(2000);
    }
    return { rounds, warmupMs, loadBefore, loadAfter: load1() };
  } finally {
    await scope.close();
  }
}

// ---------------------------------------------------------------------------
// (b) polling CPU

/** Runs git with `input` on stdin (hermetic environment, as the test helpers). */
function gitWithInput(args: string[], input: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { env: gitEnv(), stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`git ${args.join(' ')}: exit ${code}: ${stderr}`))));
    child.stdin.end(input);
  });
}

/** A bare repository `<root>/<name>` whose `main` has one commit of `files`: `git init` + one `git fast-import`. */
async function bareRepoWith(root: string, name: string, files: Record<string, string>): Promise<void> {
  const bare = join(root, name);
  await runGit(['init', '--quiet', '--bare', '-b', 'main', bare]);
  const data = (text: string) => `data ${Buffer.byteLength(text)}\n${text}\n`;
  const stream = [
    'commit refs/heads/main\n',
    'committer Flotilla Bench <bench@flotilla.invalid> 1767225600 +0000\n',
    data(`initial commit of ${name}`),
    ...Object.entries(files).map(([path, content]) => `M 100644 inline ${path}\n${data(content)}`),
    'done\n',
  ].join('');
  await gitWithInput(['--git-dir', bare, 'fast-import', '--quiet', '--done'], stream);
}

interface Snapshot {
  at: number;
  hub: { own: number; children: number };
  self: number;
  requests: number;
  logIndex: number;
  xacts: number;
  redis: number;
}

const redisCommands = () => Number(/total_commands_processed:(\d+)/.exec(execFileSync('redis-cli', ['-h', '127.0.0.1', 'info', 'stats'], { encoding: 'utf8' }))?.[1] ?? NaN);
let ownXacts = 0;
async function xactCommit(hub: TestHub): Promise<number> {
  ownXacts++;
  const [row] = await query<{ x: string }>(hub.database.url, `SELECT xact_commit::text AS x FROM pg_stat_database WHERE datname = current_database()`);
  return Number(row!.x) - ownXacts;
}

async function snapshot(hub: TestHub, pid: number, server: SmartHttpServer): Promise<Snapshot> {
  const xacts = await xactCommit(hub);
  const self = procCpu('self').children;
  return { at: performance.now(), hub: procCpu(pid), self, requests: server.requests, logIndex: server.log.length, xacts, redis: redisCommands() };
}

interface Window {
  seconds: number;
  hubPct: number;
  hubWithChildrenPct: number;
  serverPct: number;
  requests: number;
  lsRefs: number;
  infoRefs: number;
  xacts: number;
  redis: number;
  load: string;
  profile?: string;
}

async function measureWindow(hub: TestHub, pid: number, server: SmartHttpServer, label: string): Promise<Window> {
  const profileDir = opts['cpu-profile'];
  const inspector = profileDir ? await Inspector.fromLogs(hub.logs()) : undefined;
  if (inspector) {
    await inspector.send('Profiler.enable');
    await inspector.send('Profiler.setSamplingInterval', { interval: 1000 });
    await inspector.send('Profiler.start');
  }
  // pg_stat_database is updated by backends at transaction end, with a short delay (see bench/fanout).
  await sleep(600);
  const a = await snapshot(hub, pid, server);
  await sleep(WINDOW_S * 1000);
  await sleep(600);
  const b = await snapshot(hub, pid, server);
  let profile: string | undefined;
  if (inspector) {
    const result = await inspector.send<{ profile: CpuProfile }>('Profiler.stop');
    inspector.close();
    const file = join(profileDir!, `hub-${label}.cpuprofile`);
    writeFileSync(file, JSON.stringify(result.profile));
    profile = `${file}\n${summarize(result.profile, 15)}`;
    log(`CPU profile of the ${label} window: ${profile}`);
  }
  const seconds = (b.at - a.at) / 1000;
  const pct = (cpuS: number) => (100 * cpuS) / seconds;
  const records = server.log.slice(a.logIndex, b.logIndex);
  return {
    seconds,
    hubPct: pct(b.hub.own - a.hub.own),
    hubWithChildrenPct: pct(b.hub.own + b.hub.children - a.hub.own - a.hub.children),
    serverPct: pct(b.self - a.self),
    requests: b.requests - a.requests,
    lsRefs: records.filter((r) => r.method === 'POST' && r.url.endsWith('/git-upload-pack')).length,
    infoRefs: records.filter((r) => r.method === 'GET' && r.url.includes('/info/refs')).length,
    xacts: b.xacts - a.xacts,
    redis: b.redis - a.redis,
    load: load1(),
    ...(profile ? { profile } : {}),
  };
}

interface ResultB {
  createReposMs: number;
  initialSyncMs: number;
  baseline: Window;
  polling: Window;
  fetchedUnchanged: number;
  polledMoved: number;
  synced: number;
  loadBefore: string;
}

async function partB(): Promise<ResultB> {
  const scope = new Scope();
  try {
    const loadBefore = load1();
    const root = mkdtempSync(join(tmpdir(), 'flotilla-git-poll-bench-'));
    scope.defer(() => rmSync(root, { recursive: true, force: true }));
    log(`(b) creating ${REPOS} bare repositories`);
    const t0 = performance.now();
    let next = 0;
    const worker = async () => {
      while (next < REPOS) {
        const i = next++;
        const name = `poll-${i}`;
        await bareRepoWith(root, `${name}.git`, { 'namespace.yaml': ns(name), 'configmap.yaml': cm(name, `repository ${i}`) });
      }
    };
    await Promise.all(Array.from({ length: 4 }, worker));
    const createReposMs = performance.now() - t0;
    const server = await startSmartHttpServer({ root });
    scope.defer(() => server.close());

    const hubStarting = startHub({
      env: {
        FLOTILLA_HELM: await toolPath('helm'),
        FLOTILLA_KUSTOMIZE: await toolPath('kustomize'),
        ...(opts['cpu-profile'] ? { NODE_OPTIONS: '--inspect=127.0.0.1:0' } : {}),
      },
    });
    scope.defer(async () => (await hubStarting.catch(() => undefined))?.dispose());
    const hub = await hubStarting;
    const pid = findHubPid();

    log(`(b) baseline: hub with 0 GitRepos, settle ${SETTLE_S} s, window ${WINDOW_S} s`);
    await sleep(SETTLE_S * 1000);
    const baseline = await measureWindow(hub, pid, server, 'idle');

    log(`(b) ${REPOS} GitRepos, polling every ${POLL_INTERVAL_S} s`);
    const t1 = performance.now();
    next = 0;
    const putter = async () => {
      while (next < REPOS) {
        const i = next++;
        const res = await hub.api('PUT', `/api/v1/gitrepos/poll-${i}`, { repo: server.url(`poll-${i}.git`), branch: 'main', targets: [], pollingInterval: POLL_INTERVAL_S });
        if (res.status !== 201) throw new Error(`PUT poll-${i}: ${res.status} ${JSON.stringify(res.body)}`);
      }
    };
    await Promise.all(Array.from({ length: 8 }, putter));
    const one = async (sql: string) => (await query<{ n: number }>(hub.database.url, sql))[0]!.n;
    await waitFor(
      `all ${REPOS} GitRepos synced once`,
      async () => {
        const failed = await one(`SELECT count(*)::int AS n FROM git_repos WHERE sync_reason NOT IN ('Synced', 'Pending')`);
        if (failed) throw new Error(`${failed} GitRepo(s) failed to sync: ${JSON.stringify(await query(hub.database.url, `SELECT name, sync_reason, sync_message FROM git_repos WHERE sync_reason NOT IN ('Synced', 'Pending') LIMIT 3`))}`);
        return (await one(`SELECT count(*)::int AS n FROM git_repos WHERE commit <> '' AND sync_reason = 'Synced'`)) === REPOS;
      },
      15 * 60_000,
      1000,
    );
    const initialSyncMs = performance.now() - t1;
    log(`(b) all synced in ${s2(initialSyncMs)} s; settling ${SETTLE_S} s`);
    await sleep(SETTLE_S * 1000);
    await waitFor('no bundle rendering', async () => (await one(`SELECT count(*)::int AS n FROM bundles WHERE render_state = 'Rendering'`)) === 0, 120_000, 1000);

    type Row = { name: string; fetched: string | null; polled: string | null; reason: string };
    const rows = () => query<Row>(hub.database.url, `SELECT name, fetched_at::text AS fetched, polled_at::text AS polled, sync_reason AS reason FROM git_repos`);
    const before = new Map((await rows()).map((r) => [r.name, r]));
    log(`(b) measuring ${WINDOW_S} s`);
    const polling = await measureWindow(hub, pid, server, 'polling');
    const after = await rows();
    return {
      createReposMs,
      initialSyncMs,
      baseline,
      polling,
      fetchedUnchanged: after.filter((r) => r.fetched !== null && r.fetched === before.get(r.name)?.fetched).length,
      polledMoved: after.filter((r) => r.polled !== before.get(r.name)?.polled).length,
      synced: after.filter((r) => r.reason === 'Synced').length,
      loadBefore,
    };
  } finally {
    await scope.close();
  }
}

// ---------------------------------------------------------------------------
// Report

function reportA(a: ResultA): string[] {
  const cols: (keyof Round)[] = ['accepted', 'syncStarted', 'fetchDone', 'commit', 'desired', 'live', 'applied'];
  const stat = (k: keyof Round, f: (xs: number[]) => number) => s2(f(a.rounds.map((r) => r[k] as number)));
  const med = Number(stat('applied', median));
  const gap = (from: keyof Round, to: keyof Round) => median(a.rounds.map((r) => (r[to] as number) - (r[from] as number)));
  return [
    `## (a) webhook push → all 3 clusters report the new revision applied`,
    '',
    `3 workloads clusters (env=prod, prod, dev) with real agents, one GitRepo over smart HTTP (\`git http-backend\`), pollingInterval 3600, one raw-YAML bundle (Namespace + ConfigMap). Warm-up (initial sync to Ready on all 3): ${s2(a.warmupMs)} s. Seconds from the start of the webhook POST; the hub status API and the clusters' ConfigMaps polled every 50 ms. Load average (1 min) before ${a.loadBefore}, after ${a.loadAfter}.`,
    '',
    '| round | commit | webhook answered (202) | sync started (its ls-refs reached the git server) | fetch done (last git request answered) | GitRepo status.commit = pushed sha | all 3 deployments at the new desired revision (rendered) | new value live on all 3 clusters | **all 3 report Ready, applied = desired** |',
    '|---|---|---|---|---|---|---|---|---|',
    ...a.rounds.map((r) => `| ${r.round} | \`${r.sha.slice(0, 12)}\` | ${cols.map((k) => (k === 'applied' ? `**${s2(r[k] as number)}**` : s2(r[k] as number))).join(' | ')} |`),
    `| median | | ${cols.map((k) => (k === 'applied' ? `**${stat(k, median)}**` : stat(k, median))).join(' | ')} |`,
    `| min | | ${cols.map((k) => stat(k, (xs) => Math.min(...xs))).join(' | ')} |`,
    `| max | | ${cols.map((k) => stat(k, (xs) => Math.max(...xs))).join(' | ')} |`,
    '',
    `Requests the git server received per round (round 1): ${a.rounds[0]?.gitRequests.map((q) => `\`${q}\``).join(', ') ?? '—'}.`,
    '',
    `Goal: median ≤ ${GOAL_A_S} s — median ${med.toFixed(2)} s: **${med <= GOAL_A_S ? 'met' : 'NOT met'}**.`,
    '',
    'Where the time goes (medians of the differences between milestones):',
    '',
    `- webhook → sync started: ${s2(gap('accepted', 'syncStarted'))} s after the 202 (the sync job queued through BullMQ and picked up by the git sync worker);`,
    `- ls-refs + fetch: ${s2(gap('syncStarted', 'fetchDone'))} s (the poll's ls-refs in-process, then \`git fetch --depth=1\`: GET info/refs, ls-refs, fetch);`,
    `- fetch done → GitRepo status.commit: ${s2(gap('fetchDone', 'commit'))} s (checkout, clean, log — three more git processes — bundle discovery, the bundle write that queues its render, the status update);`,
    `- → all 3 deployments at the new revision: ${s2(gap('commit', 'desired'))} s after status.commit (the render runs in parallel with the end of the sync);`,
    `- → the new value live on all 3 clusters: ${s2(gap('desired', 'live'))} s (delivery over the agents' Watch streams, content download, server-side apply);`,
    `- → all 3 report applied at the hub: ${s2(gap('live', 'applied'))} s: mostly the agent's status-report debounce (StatusReporter, 1 s by default), then ReportStatus and the status write.`,
    '',
    'The bench itself polls the hub (GitRepo + bundle status) and the 3 API servers every 50 ms on the same 2 cores.',
    '',
  ];
}

function reportB(b: ResultB): string[] {
  const p = b.polling;
  const base = b.baseline;
  const expected = (REPOS * p.seconds) / POLL_INTERVAL_S;
  const extraCpuS = ((p.hubWithChildrenPct - base.hubWithChildrenPct) * p.seconds) / 100;
  const perPollMs = p.lsRefs ? (1000 * extraCpuS) / p.lsRefs : NaN;
  const f = (x: number, d = 2) => x.toFixed(d);
  return [
    `## (b) hub CPU while polling ${REPOS} unchanged GitRepos every ${POLL_INTERVAL_S} s`,
    '',
    `${REPOS} distinct bare repositories (one commit each, created in ${s2(b.createReposMs)} s) behind one smart HTTP server; ${REPOS} GitRepos (one raw bundle each, no targets), all synced once ${s2(b.initialSyncMs)} s after the first PUT; then ${SETTLE_S} s settle and a ${f(p.seconds, 1)} s window. Baseline: the same hub process before any GitRepo existed, ${SETTLE_S} s after start, over a ${f(base.seconds, 1)} s window. Load average (1 min) before the part ${b.loadBefore}, at the end of the baseline window ${base.load}, of the polling window ${p.load}.`,
    '',
    '| measure | idle hub (0 GitRepos) | polling | difference |',
    '|---|---|---|---|',
    `| **hub CPU, % of one core (hub + its git children)** | ${f(base.hubWithChildrenPct)} % | **${f(p.hubWithChildrenPct)} %** | ${f(p.hubWithChildrenPct - base.hubWithChildrenPct)} % |`,
    `| hub CPU, hub process only (utime+stime) | ${f(base.hubPct)} % | ${f(p.hubPct)} % | ${f(p.hubPct - base.hubPct)} % |`,
    `| git server HTTP requests in the window | ${base.requests} | ${p.requests} (expected ≈ ${REPOS} × ${f(p.seconds, 0)} s / ${POLL_INTERVAL_S} s = ${f(expected, 0)} polls) | |`,
    `| of which ls-refs POSTs to git-upload-pack / GETs of info/refs (fetches) | ${base.lsRefs} / ${base.infoRefs} | ${p.lsRefs} / ${p.infoRefs} | |`,
    `| GitRepos whose fetchedAt did not change / whose polledAt moved on / Synced | — | ${b.fetchedUnchanged} / ${b.polledMoved} / ${b.synced} of ${REPOS} | |`,
    `| PostgreSQL transactions of the hub's database (≈, pg_stat_database) | ${base.xacts} | ${p.xacts} | ${p.xacts - base.xacts} (${p.lsRefs ? f((p.xacts - base.xacts) / p.lsRefs, 1) : '—'} per poll) |`,
    `| Redis commands (server-wide) | ${base.redis} | ${p.redis} | ${p.redis - base.redis} (${p.lsRefs ? f((p.redis - base.redis) / p.lsRefs, 1) : '—'} per poll) |`,
    `| hub CPU per poll (difference ÷ ls-refs requests) | | | ${f(perPollMs)} ms |`,
    `| git server CPU (\`git http-backend\` + \`upload-pack\`, same machine, not the hub's) | ${f(base.serverPct)} % | ${f(p.serverPct)} % | |`,
    '',
    `Goal: ≤ ${GOAL_B_PCT} % of one core while polling — ${f(p.hubWithChildrenPct)} % (hub + children): **${p.hubWithChildrenPct <= GOAL_B_PCT ? 'met' : 'NOT met'}**` +
      `; no fetch in the window (${p.infoRefs} info/refs GETs, fetchedAt unchanged on ${b.fetchedUnchanged}/${REPOS}): **${p.infoRefs === 0 && b.fetchedUnchanged === REPOS ? 'met' : 'NOT met'}**.`,
    '',
    'Notes:',
    '',
    `- ${p.lsRefs} polls in ${f(p.seconds, 1)} s = one per GitRepo every ${f((REPOS * p.seconds) / Math.max(1, p.lsRefs), 1)} s: the next poll is scheduled ${POLL_INTERVAL_S} s after the previous sync ends, and the scheduler looks for due polls once a second, so the effective interval is a little over ${POLL_INTERVAL_S} s.`,
    p.hubWithChildrenPct - p.hubPct < 0.005
      ? '- The hub waited for no child process in the window (cutime+cstime unchanged): over http(s) a poll is one in-process protocol-v2 ls-refs POST on a kept-alive connection (hub/src/gitrepos/git/http-ls-refs.ts), not a `git ls-remote`.'
      : `- Git child processes of the hub: ${f(p.hubWithChildrenPct - p.hubPct)} % of one core.`,
    `- Per poll the hub spends ≈ ${f(perPollMs)} ms of CPU, ≈ ${p.lsRefs ? f((p.xacts - base.xacts) / p.lsRefs, 1) : '—'} PostgreSQL transactions (read the GitRepo and its sync marker, write polledAt, schedule the next poll; plus the scheduler's claim, shared per tick) and ≈ ${p.lsRefs ? f((p.redis - base.redis) / p.lsRefs, 0) : '—'} Redis commands (the BullMQ job: add, fetch, complete, remove, events).`,
    `- The git server (\`git http-backend\` → \`git upload-pack\`, two processes per request) costs ${f(p.serverPct)} % of one core on the same machine: more than the hub; a real Git host carries it.`,
    ...(base.profile || p.profile ? ['', '<details><summary>CPU profiles of the hub (--cpu-profile)</summary>', '', '```', `idle window: ${base.profile ?? '—'}`, '', `polling window: ${p.profile ?? '—'}`, '```', '', '</details>'] : []),
    '',
  ];
}

async function main(): Promise<void> {
  const quiet = await waitForQuiet();
  log(`load ${quiet.load.toFixed(2)} (waited ${quiet.waitedS} s)`);
  const command = `node bench/git-to-cluster/run.ts ${process.argv.slice(2).join(' ')}`.trim();
  const started = new Date().toISOString();
  const a = ONLY === 'b' ? undefined : await partA();
  const b = ONLY === 'a' ? undefined : await partB();
  const machine = execFileSync('uname', ['-srvmo'], { encoding: 'utf8' }).trim();
  const nproc = execFileSync('nproc', { encoding: 'utf8' }).trim();
  const lines = [
    '# bench/git-to-cluster — results',
    '',
    `Run ${started} on ${machine}; nproc ${nproc}, ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${execFileSync('git', ['--version'], { encoding: 'utf8' }).trim()}.`,
    `1-minute load average at the start: ${quiet.load.toFixed(2)}${quiet.waitedS ? ` (after waiting ${quiet.waitedS} s for it to fall below ${opts['max-load']})` : ''}${quiet.load > Number(opts['max-load']) ? ' — above the limit: ran anyway' : ''}.`,
    '',
    `Command: \`sh scripts/run.sh ${command}\``,
    '',
    '| goal (issue #11) | result | met |',
    '|---|---|---|',
    ...(a ? [`| (a) webhook push → all 3 clusters report the new revision applied, median of ${a.rounds.length}: ≤ ${GOAL_A_S} s | ${s2(median(a.rounds.map((r) => r.applied)))} s (min ${s2(Math.min(...a.rounds.map((r) => r.applied)))}, max ${s2(Math.max(...a.rounds.map((r) => r.applied)))}) | ${median(a.rounds.map((r) => r.applied)) <= GOAL_A_S * 1000 ? 'met' : 'NOT met'} |`] : []),
    ...(b ? [`| (b) hub CPU polling ${REPOS} unchanged GitRepos every ${POLL_INTERVAL_S} s: ≤ ${GOAL_B_PCT} % of one core | ${b.polling.hubWithChildrenPct.toFixed(2)} % (idle hub ${b.baseline.hubWithChildrenPct.toFixed(2)} %) | ${b.polling.hubWithChildrenPct <= GOAL_B_PCT ? 'met' : 'NOT met'} |`] : []),
    '',
    ...(a ? reportA(a) : []),
    ...(b ? reportB(b) : []),
  ];
  const report = `${lines.join('\n')}\n`;
  if (opts.out !== '-') writeFileSync(opts.out!, report);
  process.stdout.write(report);
}

try {
  await main();
} catch (error) {
  // After Ctrl-C the parts fail because their clusters went away: the signal handler is cleaning up and exits.
  if (interrupted) await new Promise(() => undefined);
  log(`failed: ${(error as Error).stack ?? error}`);
  await Promise.all([...openScopes].map((s) => s.close()));
  process.exitCode = 1;
}
