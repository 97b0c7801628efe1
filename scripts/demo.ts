/**
 * The demo: one command that starts a local workloads test cluster, a hub
 * (on the local PostgreSQL and Redis, database `flotilla_demo`), an agent
 * registered with a fresh token, and deploys `examples/hello` to the fleet.
 * It prints the hub URL, the admin token and the bundle status, and keeps
 * everything running until Ctrl-C, then cleans up.
 *
 *   npm run demo            (after sh scripts/setup.sh)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { cachedToolPath } from '../test/clusters/build.ts';
import { startCluster } from '../test/clusters/index.ts';
import { ADMIN_DATABASE_URL, query } from '../test/support/database.ts';
import { eventually } from '../test/support/eventually.ts';
import { repoPath } from '../test/support/paths.ts';
import { freePort } from '../test/support/ports.ts';
import { makeServerTls } from '../test/support/tls.ts';

const children: ChildProcess[] = [];
const log = (line: string) => process.stdout.write(`demo: ${line}\n`);

async function main(): Promise<void> {
  log('starting a workloads test cluster (first run builds the binaries; see test/clusters/README.md)');
  const cluster = await startCluster({ name: 'flotilla-demo', workloads: true });
  const stopCluster = () => cluster.stop();

  const db = new URL(ADMIN_DATABASE_URL);
  db.pathname = '/flotilla_demo';
  await query(ADMIN_DATABASE_URL, 'DROP DATABASE IF EXISTS flotilla_demo WITH (FORCE)');
  await query(ADMIN_DATABASE_URL, 'CREATE DATABASE flotilla_demo');

  const tls = makeServerTls();
  const [httpPort, grpcPort] = [Number(process.env.FLOTILLA_HTTP_PORT ?? (await freePort())), await freePort()];
  const adminToken = randomBytes(24).toString('hex');
  const hubUrl = `http://127.0.0.1:${httpPort}`;
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

  // What `helm install --create-namespace` would have made: the agent's own namespace.
  const kc = new KubeConfig();
  kc.loadFromFile(cluster.kubeconfigPath);
  await kc.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: 'flotilla-system' } } });

  const token = await api('POST', '/api/v1/registration-tokens', { ttlSeconds: 3600, maxUses: 1, labels: { env: 'demo' } });
  children.push(
    run('agent', ['agent/dist/main.js'], {
      KUBECONFIG: cluster.kubeconfigPath,
      FLOTILLA_HUB_ADDRESS: `localhost:${grpcPort}`,
      FLOTILLA_HUB_CA_FILE: tls.caFile,
      FLOTILLA_REGISTRATION_TOKEN: token.token,
      FLOTILLA_CLUSTER_NAME: 'demo-1',
      FLOTILLA_CLUSTER_LABELS: 'env=demo,region=local',
      FLOTILLA_AGENT_NAMESPACE: 'flotilla-system',
    }),
  );
  await eventually(async () => (await api('GET', '/api/v1/clusters?selector=env%3Ddemo')).items?.length === 1, { timeoutMs: 60_000, description: 'agent registered' });

  const dir = repoPath('examples/hello');
  const manifests = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort().map((f) => readFileSync(join(dir, f), 'utf8')).join('\n---\n');
  await api('PUT', '/api/v1/bundles/hello', { manifests, targets: [{ clusterSelector: { matchLabels: { env: 'demo' } } }], options: { correctDrift: true } });
  const status = await eventually(
    async () => {
      const s = await api('GET', '/api/v1/bundles/hello/status');
      return s.counts?.Ready === 1 ? s : false;
    },
    { timeoutMs: 120_000, description: 'bundle hello Ready' },
  );
  log(`bundle hello is Ready on ${status.items.map((c: { clusterName: string }) => c.clusterName).join(', ')}`);
  log(`try:  curl -H "authorization: Bearer ${adminToken}" ${hubUrl}/api/v1/bundles/hello/status`);
  // The harness's own kubectl (the machine may have none on PATH), by absolute path so the hint runs as printed.
  const kubectl = cachedToolPath('kubectl') ?? 'kubectl';
  log(`      KUBECONFIG=${cluster.kubeconfigPath} ${kubectl} -n hello get deploy,svc,cm`);
  if (process.argv.includes('--exit')) return shutdown(stopCluster, 0);
  log('running; Ctrl-C stops everything');
  process.once('SIGINT', () => void shutdown(stopCluster, 0));
  process.once('SIGTERM', () => void shutdown(stopCluster, 0));
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

async function shutdown(stopCluster: () => Promise<void>, code: number): Promise<void> {
  for (const child of children) child.kill('SIGTERM');
  await stopCluster();
  process.exit(code);
}

main().catch((error: unknown) => {
  process.stderr.write(`demo failed: ${(error as Error).stack ?? String(error)}\n`);
  for (const child of children) child.kill('SIGKILL');
  process.exit(1);
});
