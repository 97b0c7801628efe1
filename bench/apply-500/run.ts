/**
 * Apply benchmark: 500 mixed objects applied to a fresh test cluster by the
 * agent's reconcile path (plan → server-side apply → inventory → prune check)
 * versus `kubectl apply --server-side` on the same objects, against the same
 * cluster in the same run. Each round uses fresh namespaces for both, so both
 * create everything; rounds alternate which goes first.
 *
 *   npm run build && node bench/apply-500/run.ts [--rounds 3] [--rtt-ms 0,2,10]
 *
 * --rtt-ms: also compare with that much round-trip time added between each
 * tool and the API server (latency-proxy.ts, a TCP proxy in its own process),
 * as for a cluster in another zone or region; 0 (default) = loopback.
 *
 * Goal (issue 4): the agent at least 3x faster than kubectl.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { DeploymentOptions } from '@flotilla/proto';
import { Discovery } from '../../agent/dist/apply/discovery.js';
import { InventoryStore } from '../../agent/dist/apply/inventory.store.js';
import { createKubeClient } from '../../agent/dist/kube/kube-client.js';
import { kubeconfigConnection } from '../../agent/dist/kube/kubeconfig.js';
import { createLogger } from '../../agent/dist/log/logger.js';
import { reconcileRevision } from '../../agent/dist/reconcile/reconcile.js';
import { startCluster, toolPath } from '../../test/clusters/index.ts';

/** CPU seconds (user + system) used so far by a process (and its waited-for children). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // utime, stime, cutime, cstime are fields 14–17 of stat; index 0 here is field 3.
  const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
  return ticks / 100;
}

const arg = (name: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const rounds = Number(arg('--rounds') || 3) || 3;
/** Added network round-trip times to compare at (ms); 0 = loopback, no proxy. */
const rtts = (arg('--rtt-ms') ?? '0').split(',').map(Number);
if (rtts.some((r) => !Number.isFinite(r) || r < 0)) throw new Error('--rtt-ms wants a comma-separated list of milliseconds, e.g. 0,2,10');

/** 10 namespaces × 49 objects + the 10 namespaces = 500 objects of 8 kinds. */
function objects(prefix: string): object[] {
  const out: object[] = [];
  for (let n = 0; n < 10; n++) {
    const ns = `${prefix}-${n}`;
    out.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    for (let i = 0; i < 20; i++) out.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}`, namespace: ns }, data: { key: `value-${i}`, more: 'x'.repeat(200) } });
    for (let i = 0; i < 10; i++) out.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: `secret-${i}`, namespace: ns }, stringData: { password: `p-${i}` } });
    for (let i = 0; i < 5; i++) out.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: `svc-${i}`, namespace: ns }, spec: { selector: { app: `app-${i}` }, ports: [{ port: 80, targetPort: 8080 }] } });
    for (let i = 0; i < 5; i++) out.push({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: `sa-${i}`, namespace: ns } });
    for (let i = 0; i < 5; i++) {
      out.push({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: `app-${i}`, namespace: ns },
        spec: { replicas: 1, selector: { matchLabels: { app: `app-${i}` } }, template: { metadata: { labels: { app: `app-${i}` } }, spec: { containers: [{ name: 'app', image: 'registry.example/app:1' }] } } },
      });
    }
    for (let i = 0; i < 2; i++) out.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: `role-${i}`, namespace: ns }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }] });
    for (let i = 0; i < 2; i++) {
      out.push({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: `rb-${i}`, namespace: ns },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: `role-${i}` },
        subjects: [{ kind: 'ServiceAccount', name: `sa-${i}`, namespace: ns }],
      });
    }
  }
  return out;
}

interface Run {
  ms: number;
  clientCpu: number;
  serverCpu: number;
}

const describe = (r: Run) => `${(r.ms / 1000).toFixed(2)} s (CPU: client ${r.clientCpu.toFixed(2)} s, cluster ${r.serverCpu.toFixed(2)} s)`;

/** Starts latency-proxy.ts in front of `server`; resolves with its port and a stop function. */
async function startProxy(server: URL, rttMs: number): Promise<{ port: number; stop: () => void }> {
  const proc = spawn(process.execPath, [join(import.meta.dirname, 'latency-proxy.ts'), '0', `${server.hostname}:${server.port}`, String(rttMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    proc.stdout.once('data', (line: Buffer) => resolve(Number(/ready (\d+)/.exec(line.toString())?.[1])));
    proc.once('exit', (code) => reject(new Error(`latency proxy exited with ${code}`)));
  });
  return { port, stop: () => proc.kill() };
}

async function main(): Promise<void> {
  const kubectl = await toolPath('kubectl');
  const cluster = await startCluster({ name: `bench-${randomBytes(2).toString('hex')}` });
  const work = mkdtempSync(join(tmpdir(), 'flotilla-apply-bench-'));
  const serverPids = cluster.processes.map((p) => p.pid);
  /** Wall time, and CPU of the client (this process or the kubectl it waited for) and of the cluster's components. */
  const timed = async (fn: () => unknown): Promise<Run> => {
    const client0 = cpuSeconds(process.pid);
    const server0 = serverPids.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
    const t0 = performance.now();
    await fn();
    const ms = performance.now() - t0;
    return { ms, clientCpu: cpuSeconds(process.pid) - client0, serverCpu: serverPids.reduce((sum, pid) => sum + cpuSeconds(pid), 0) - server0 };
  };
  const table: string[] = [];
  let idleCores = NaN;
  try {
    const direct = createKubeClient(await kubeconfigConnection(cluster.kubeconfigPath));
    await direct.request('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'flotilla-system' } } });
    direct.close();
    // What the cluster burns when nobody writes (controllers, leases), to read the CPU columns against.
    const idle = await timed(() => new Promise((resolve) => setTimeout(resolve, 5_000)));
    idleCores = idle.serverCpu / (idle.ms / 1000);
    for (const rtt of rtts) {
      // Both tools talk to the API server through the same proxy (none at 0 ms).
      const proxy = rtt > 0 ? await startProxy(new URL(cluster.server), rtt) : undefined;
      const kubeconfigPath = join(work, `kubeconfig-${rtt}`);
      writeFileSync(kubeconfigPath, proxy ? cluster.kubeconfig.replace(cluster.server, `https://127.0.0.1:${proxy.port}`) : cluster.kubeconfig);
      const kube = createKubeClient(await kubeconfigConnection(kubeconfigPath));
      process.stdout.write(`--- added round-trip time ${rtt} ms\n`);
      const results: { kubectl: Run; agent: Run }[] = [];
      try {
        for (let round = 1; round <= rounds; round++) {
          const tag = `${rtt}-${round}`;
          const kubectlObjects = objects(`k${tag}`);
          const agentObjects = objects(`a${tag}`);
          if (kubectlObjects.length !== 500) throw new Error(`expected 500 objects, got ${kubectlObjects.length}`);

          const file = join(work, `round-${tag}.yaml`);
          writeFileSync(file, kubectlObjects.map((o) => stringify(o)).join('---\n'));
          const runKubectl = () => {
            const r = spawnSync(kubectl, ['apply', '--server-side', '--field-manager=bench', '-f', file], { env: { ...process.env, KUBECONFIG: kubeconfigPath }, encoding: 'utf8' });
            if (r.status !== 0) throw new Error(`kubectl failed: ${r.stderr}`);
          };
          const runAgent = async () => {
            // A fresh agent context per round, as after an agent start: empty discovery cache.
            const bytes = Buffer.from(JSON.stringify(agentObjects));
            const revision = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
            const ctx = {
              kube,
              discovery: new Discovery(kube),
              inventories: new InventoryStore(kube, 'flotilla-system'),
              content: { get: async () => bytes } as never,
              allowedNamespaces: undefined,
              logger: createLogger('error'),
            };
            const result = await reconcileRevision(ctx, {
              deploymentId: `bench-${tag}`,
              bundleName: `bench-${tag}`,
              revision,
              contentSize: bytes.length,
              options: DeploymentOptions.fromPartial({ defaultNamespace: '' }),
            });
            if (result.objectErrors.size > 0) throw new Error(`agent apply failed: ${[...result.objectErrors.values()][0]!.message}`);
          };
          const counts0 = { ...kube.counts };
          let k: Run;
          let a: Run;
          if (round % 2 === 1) {
            k = await timed(runKubectl);
            a = await timed(runAgent);
          } else {
            a = await timed(runAgent);
            k = await timed(runKubectl);
          }
          const agentRequests = Object.fromEntries(Object.entries(kube.counts).map(([m, n]) => [m, n - (counts0[m] ?? 0)]));
          results.push({ kubectl: k, agent: a });
          process.stdout.write(`round ${round}: kubectl ${describe(k)}; agent ${describe(a)}, requests ${JSON.stringify(agentRequests)}; ${(k.ms / a.ms).toFixed(1)}x\n`);
        }
      } finally {
        kube.close();
        proxy?.stop();
      }
      const k = median(results.map((r) => r.kubectl.ms));
      const a = median(results.map((r) => r.agent.ms));
      table.push(row(`${rtt} ms`, 'kubectl apply --server-side (v1.37.2)', results.map((r) => r.kubectl)));
      table.push(row(`${rtt} ms`, 'flotilla agent (reconcile: plan, SSA, inventory)', results.map((r) => r.agent)));
      table.push(`| ${rtt} ms | **speed-up** | **${(k / a).toFixed(1)}x** | | |`);
    }
  } finally {
    await cluster.stop();
  }
  process.stdout.write(
    [
      '',
      `cluster CPU while idle: ${idleCores.toFixed(2)} cores`,
      '',
      '| added round-trip time | tool | median wall time, 500 objects (create) | client CPU | cluster CPU (apiserver, etcd, controller-manager) |',
      '|---|---|---:|---:|---:|',
      ...table,
      '',
      'Goal: agent >= 3x faster than kubectl (the 0 ms row is the loopback measurement the goal refers to).',
      '',
    ].join('\n'),
  );
}

const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
const row = (rtt: string, name: string, runs: Run[]) =>
  `| ${rtt} | ${name} | ${(median(runs.map((r) => r.ms)) / 1000).toFixed(2)} s | ${median(runs.map((r) => r.clientCpu)).toFixed(2)} s | ${median(runs.map((r) => r.serverCpu)).toFixed(2)} s |`;

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
