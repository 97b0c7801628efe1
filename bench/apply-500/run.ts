/**
 * Apply benchmark: 500 mixed objects applied to a fresh test cluster by the
 * agent's reconcile path (plan → server-side apply → inventory → prune check)
 * versus `kubectl apply --server-side` on the same objects, against the same
 * cluster in the same run. Each round uses fresh namespaces for both, so both
 * create everything; rounds alternate which goes first.
 *
 *   npm run build && node bench/apply-500/run.ts [--rounds 3]
 *
 * Goal (issue 4): the agent at least 3x faster than kubectl.
 */
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { Discovery } from '../../agent/dist/apply/discovery.js';
import { InventoryStore } from '../../agent/dist/apply/inventory.store.js';
import { createKubeClient } from '../../agent/dist/kube/kube-client.js';
import { kubeconfigConnection } from '../../agent/dist/kube/kubeconfig.js';
import { createLogger } from '../../agent/dist/log/logger.js';
import { reconcileRevision } from '../../agent/dist/reconcile/reconcile.js';
import { startCluster, toolPath } from '../../test/clusters/index.ts';

const rounds = Number(process.argv[process.argv.indexOf('--rounds') + 1] || 3) || 3;

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

async function main(): Promise<void> {
  const kubectl = await toolPath('kubectl');
  const cluster = await startCluster({ name: `bench-${randomBytes(2).toString('hex')}` });
  const work = mkdtempSync(join(tmpdir(), 'flotilla-apply-bench-'));
  try {
    const kube = createKubeClient(await kubeconfigConnection(cluster.kubeconfigPath));
    await kube.request('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'flotilla-system' } } });
    const results: { round: number; kubectlMs: number; agentMs: number }[] = [];
    for (let round = 1; round <= rounds; round++) {
      const kubectlObjects = objects(`k${round}`);
      const agentObjects = objects(`a${round}`);
      if (kubectlObjects.length !== 500) throw new Error(`expected 500 objects, got ${kubectlObjects.length}`);

      const file = join(work, `round-${round}.yaml`);
      writeFileSync(file, kubectlObjects.map((o) => stringify(o)).join('---\n'));
      const runKubectl = () => {
        const t0 = performance.now();
        const r = spawnSync(kubectl, ['apply', '--server-side', '--field-manager=bench', '-f', file], { env: { ...process.env, KUBECONFIG: cluster.kubeconfigPath }, encoding: 'utf8' });
        if (r.status !== 0) throw new Error(`kubectl failed: ${r.stderr}`);
        return performance.now() - t0;
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
        const t0 = performance.now();
        const result = await reconcileRevision(ctx, {
          deploymentId: `bench-${round}`,
          bundleName: `bench-${round}`,
          revision,
          contentSize: bytes.length,
          options: { defaultNamespace: '', keepResources: false, correctDrift: false, allowEmpty: false, comparePatches: [] },
        });
        const ms = performance.now() - t0;
        if (result.objectErrors.size > 0) throw new Error(`agent apply failed: ${[...result.objectErrors.values()][0]!.message}`);
        return ms;
      };
      let kubectlMs: number;
      let agentMs: number;
      if (round % 2 === 1) {
        kubectlMs = runKubectl();
        agentMs = await runAgent();
      } else {
        agentMs = await runAgent();
        kubectlMs = runKubectl();
      }
      results.push({ round, kubectlMs, agentMs });
      process.stdout.write(`round ${round}: kubectl ${(kubectlMs / 1000).toFixed(2)} s, agent ${(agentMs / 1000).toFixed(2)} s, ${(kubectlMs / agentMs).toFixed(1)}x\n`);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const k = median(results.map((r) => r.kubectlMs));
    const a = median(results.map((r) => r.agentMs));
    process.stdout.write(
      `\n| tool | median time to apply 500 objects (create) |\n|---|---:|\n| kubectl apply --server-side (v1.37.2) | ${(k / 1000).toFixed(2)} s |\n| flotilla agent (reconcile: plan, SSA, inventory) | ${(a / 1000).toFixed(2)} s |\n| speed-up | ${(k / a).toFixed(1)}x (goal >= 3x) |\n`,
    );
  } finally {
    await cluster.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
