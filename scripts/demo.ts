/**
 * The demo, GitOps for real: one command that
 *   1. makes a local git repository (.flotilla/demo-repo) of `examples/hello`,
 *      whose fleet.yaml gives dev and prod clusters different replicas and greetings;
 *   2. starts two workloads test clusters, a hub (on the local PostgreSQL and
 *      Redis, database `flotilla_demo`) and an agent per cluster, labelled
 *      env=dev and env=prod;
 *   3. registers the repository as a GitRepo and waits until both clusters run
 *      what Git says, then prints what each cluster runs and two things to try.
 * It keeps everything running until Ctrl-C, then cleans up. With `--exit` (CI)
 * it also commits a change itself, waits until both clusters follow it, and exits.
 *
 *   npm run demo            (after sh scripts/setup.sh)
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { AppsV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { cachedToolPath } from '../test/clusters/build.ts';
import { startClusters, type Cluster } from '../test/clusters/index.ts';
import { ADMIN_DATABASE_URL, query } from '../test/support/database.ts';
import { eventually } from '../test/support/eventually.ts';
import { repoPath } from '../test/support/paths.ts';
import { freePort } from '../test/support/ports.ts';
import { makeServerTls } from '../test/support/tls.ts';

const ENVS = ['dev', 'prod'] as const;
type Env = (typeof ENVS)[number];
/** Polling interval of the demo's GitRepo: commits show up within seconds (Fleet's default is 15 s). */
const POLL_SECONDS = 5;

const children: ChildProcess[] = [];
const log = (line: string) => process.stdout.write(`demo: ${line}\n`);

async function main(): Promise<void> {
  const repoDir = repoPath('.flotilla/demo-repo');
  makeGitRepo(repoDir);
  log(`git repository ${repoDir} (branch main) holds examples/hello with its fleet.yaml`);

  log('starting two workloads test clusters (the first run builds the binaries; see test/clusters/README.md)');
  const started = await startClusters(2, { name: 'flotilla-demo', workloads: true });
  const clusters = Object.fromEntries(ENVS.map((env, i) => [env, started[i]!])) as Record<Env, Cluster>;
  const stopClusters = () => Promise.all(started.map((c) => c.stop())).then(() => undefined);

  const db = new URL(ADMIN_DATABASE_URL);
  db.pathname = '/flotilla_demo';
  await query(ADMIN_DATABASE_URL, 'DROP DATABASE IF EXISTS flotilla_demo WITH (FORCE)');
  await query(ADMIN_DATABASE_URL, 'CREATE DATABASE flotilla_demo');

  const tls = makeServerTls();
  const [httpPort, grpcPort] = [Number(process.env.FLOTILLA_HTTP_PORT ?? (await freePort())), await freePort()];
  const adminToken = randomBytes(24).toString('hex');
  const hubUrl = `http://127.0.0.1:${httpPort}`;
  const gitCache = repoPath('.flotilla/demo-git-cache');
  rmSync(gitCache, { recursive: true, force: true });
  children.push(
    run('hub', ['hub/dist/main.js'], {
      DATABASE_URL: db.toString(),
      FLOTILLA_REDIS_PREFIX: 'flotilla-demo',
      FLOTILLA_HTTP_PORT: String(httpPort),
      FLOTILLA_GRPC_PORT: String(grpcPort),
      FLOTILLA_GRPC_TLS_CERT: tls.certFile,
      FLOTILLA_GRPC_TLS_KEY: tls.keyFile,
      FLOTILLA_BOOTSTRAP_TOKEN: adminToken,
      FLOTILLA_LOG_FORMAT: 'text',
      // The demo's repository is on this machine; a real hub fetches https:// or ssh://.
      FLOTILLA_GIT_ALLOW_FILE_URLS: 'true',
      FLOTILLA_GIT_CACHE_DIR: gitCache,
    }),
  );
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${hubUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return (await res.json()) as any;
  };
  await eventually(async () => (await fetch(`${hubUrl}/readyz`)).ok, { timeoutMs: 60_000, description: 'hub ready' });
  log(`hub ready at ${hubUrl} (gRPC localhost:${grpcPort}, TLS)`);

  for (const env of ENVS) {
    // What `helm install --create-namespace` would have made: the agent's own namespace.
    await kube(clusters[env]).core.createNamespace({ body: { metadata: { name: 'flotilla-system' } } });
    const token = await api('POST', '/api/v1/registration-tokens', { ttlSeconds: 3600, maxUses: 1 });
    children.push(
      run(`agent-${env}`, ['agent/dist/main.js'], {
        KUBECONFIG: clusters[env].kubeconfigPath,
        FLOTILLA_HUB_ADDRESS: `localhost:${grpcPort}`,
        FLOTILLA_HUB_CA_FILE: tls.caFile,
        FLOTILLA_REGISTRATION_TOKEN: token.token,
        FLOTILLA_CLUSTER_NAME: `demo-${env}`,
        FLOTILLA_CLUSTER_LABELS: `env=${env},demo=true`,
        FLOTILLA_AGENT_NAMESPACE: 'flotilla-system',
      }),
    );
  }
  await eventually(async () => (await api('GET', '/api/v1/clusters?selector=demo%3Dtrue')).items?.length === 2, { timeoutMs: 60_000, description: 'agents registered' });

  await api('PUT', '/api/v1/gitrepos/hello', {
    repo: `file://${repoDir}`,
    branch: 'main',
    targets: [{ clusterSelector: { matchLabels: { demo: 'true' } } }],
    correctDrift: true,
    pollingInterval: POLL_SECONDS,
  });
  const head = git(repoDir, 'rev-parse', 'HEAD');
  await waitForCommit(api, head);
  log(`GitRepo hello is at ${head.slice(0, 12)} and bundle hello is Ready on both clusters; what each runs (read from the clusters):`);
  for (const env of ENVS) log(`  demo-${env}: ${await describeLive(clusters[env])}`);

  // The harness's own kubectl (the machine may have none on PATH), by absolute path so the hints run as printed.
  const kubectl = cachedToolPath('kubectl') ?? 'kubectl';
  const k = (env: Env) => `KUBECONFIG=${clusters[env].kubeconfigPath} ${kubectl} -n hello`;
  log('try:');
  log(`  1. change Git; both clusters follow within ~${POLL_SECONDS} s (git revert HEAD undoes it the same way):`);
  log(`       cd ${repoDir} && sed -i 's/value: 3/value: 4/' overlays/prod/deployment_patch.yaml && git commit -qam "prod: 4 replicas"`);
  log(`       ${k('prod')} get deploy hello`);
  log('  2. change a live object; the agent puts back what Git says (correctDrift):');
  log(`       ${k('dev')} scale deploy hello --replicas=5 && sleep 5 && ${k('dev')} get deploy hello`);
  log(`  status: curl -H "authorization: Bearer ${adminToken}" ${hubUrl}/api/v1/gitrepos/hello`);

  if (process.argv.includes('--exit')) {
    // The GitOps loop, checked: a commit reaches the clusters without any API call.
    execFileSync('sed', ['-i', 's/value: 3/value: 4/', 'overlays/prod/deployment_patch.yaml'], { cwd: repoDir });
    git(repoDir, 'commit', '-qam', 'prod: 4 replicas');
    const t0 = Date.now();
    await eventually(async () => (await replicas(clusters.prod)) === 4, { timeoutMs: 120_000, description: 'prod follows the commit' });
    log(`committed "prod: 4 replicas": demo-prod runs 4 replicas ${((Date.now() - t0) / 1000).toFixed(1)} s later; demo-dev still ${await replicas(clusters.dev)}`);
    return shutdown(stopClusters, 0);
  }
  log('running; Ctrl-C stops everything');
  process.once('SIGINT', () => void shutdown(stopClusters, 0));
  process.once('SIGTERM', () => void shutdown(stopClusters, 0));
}

/** A fresh repository with examples/hello as its first commit (its own identity, so commits work anywhere). */
function makeGitRepo(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  cpSync(repoPath('examples/hello'), dir, { recursive: true });
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'user.name', 'Flotilla demo');
  git(dir, 'config', 'user.email', 'demo@flotilla.invalid');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'hello: first version');
}

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8' }).trim();
}

async function waitForCommit(api: (m: string, p: string) => Promise<any>, sha: string): Promise<void> {
  await eventually(
    async () => {
      const repo = await api('GET', '/api/v1/gitrepos/hello');
      if (repo.status?.reason !== 'Ready' && repo.status?.reason !== 'Rendering') throw new Error(`GitRepo hello: ${repo.status?.reason}: ${repo.status?.message}`);
      const status = await api('GET', '/api/v1/bundles/hello/status');
      return repo.status.commit?.sha === sha && status.counts?.Ready === 2;
    },
    { timeoutMs: 180_000, description: 'GitRepo hello synced and Ready on both clusters' },
  );
}

function kube(cluster: Cluster): { core: CoreV1Api; apps: AppsV1Api } {
  const kc = new KubeConfig();
  kc.loadFromFile(cluster.kubeconfigPath);
  return { core: kc.makeApiClient(CoreV1Api), apps: kc.makeApiClient(AppsV1Api) };
}

async function replicas(cluster: Cluster): Promise<number | undefined> {
  return (await kube(cluster).apps.readNamespacedDeployment({ name: 'hello', namespace: 'hello' })).spec?.replicas;
}

async function describeLive(cluster: Cluster): Promise<string> {
  const cm = await kube(cluster).core.readNamespacedConfigMap({ name: 'hello-config', namespace: 'hello' });
  return `deployment hello with ${await replicas(cluster)} replica(s), greeting "${cm.data?.greeting}"`;
}

function run(name: string, args: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, args.map((a, i) => (i === 0 ? repoPath(a) : a)), {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = (data: Buffer) => process.stdout.write(data.toString().replace(/^(?=.)/gm, `[${name}] `));
  child.stdout!.on('data', prefix);
  child.stderr!.on('data', prefix);
  return child;
}

async function shutdown(stopClusters: () => Promise<void>, code: number): Promise<void> {
  for (const child of children) child.kill('SIGTERM');
  await stopClusters();
  process.exit(code);
}

main().catch((error: unknown) => {
  process.stderr.write(`demo failed: ${(error as Error).stack ?? String(error)}\n`);
  for (const child of children) child.kill('SIGKILL');
  process.exit(1);
});
