/**
 * Three workloads clusters at once on a 2-core machine: on each, a namespace
 * and a Deployment become Available (pods Running on kwok's fake node), the
 * namespace is deleted and disappears; then everything is stopped and no
 * process or data dir is left.
 */
import * as fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { AppsV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.ts';
import { CLUSTER_TOOLS, ensureTools, processesMentioning, startClusters, stopClusters, type Cluster } from './index.ts';
import { isNotFound } from './test-helpers.ts';

const BUILD_TIMEOUT = 60 * 60_000; // cold build: many minutes on 2 cores (CI builds first)

describe('workloads profile', () => {
  let clusters: Cluster[] = [];

  beforeAll(async () => {
    await ensureTools(CLUSTER_TOOLS.workloads);
  }, BUILD_TIMEOUT);

  afterAll(async () => {
    await stopClusters(clusters);
  });

  it('runs a Deployment to Available on 3 concurrent clusters, deletes the namespace, and leaves nothing behind', async () => {
    clusters = await startClusters(3, { workloads: true });
    expect(clusters).toHaveLength(3);
    // Isolation: distinct servers, ports, CAs and data dirs.
    expect(new Set(clusters.map((c) => c.server)).size).toBe(3);
    expect(new Set(clusters.map((c) => c.credentials.ca)).size).toBe(3);
    expect(new Set(clusters.map((c) => c.dir)).size).toBe(3);

    const namespaces = clusters.map(() => `ns-${randomBytes(4).toString('hex')}`);

    await Promise.all(
      clusters.map(async (cluster, i) => {
        const namespace = namespaces[i] ?? 'unused';
        const kc = new KubeConfig();
        kc.loadFromString(cluster.kubeconfig);
        const core = kc.makeApiClient(CoreV1Api);
        const apps = kc.makeApiClient(AppsV1Api);

        await core.createNamespace({ body: { metadata: { name: namespace } } });
        await apps.createNamespacedDeployment({
          namespace,
          body: {
            metadata: { name: 'web', labels: { app: 'web' } },
            spec: {
              replicas: 2,
              selector: { matchLabels: { app: 'web' } },
              template: {
                metadata: { labels: { app: 'web' } },
                spec: { containers: [{ name: 'web', image: 'registry.k8s.io/pause:3.10' }] },
              },
            },
          },
        });

        await eventually(
          async () => {
            const d = await apps.readNamespacedDeployment({ name: 'web', namespace });
            expect(d.status?.availableReplicas).toBe(2);
            expect(d.status?.conditions?.find((c) => c.type === 'Available')?.status).toBe('True');
          },
          { timeoutMs: 90_000, intervalMs: 250, description: `deployment available on ${cluster.name}` },
        );
        const pods = await core.listNamespacedPod({ namespace });
        expect(pods.items).toHaveLength(2);
        for (const pod of pods.items) {
          expect(pod.status?.phase).toBe('Running');
          expect(pod.spec?.nodeName).toBe(cluster.nodes[0]);
          expect(pod.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
        }

        // The namespace exists in this cluster only.
        for (const [j, other] of clusters.entries()) {
          if (j === i) continue;
          const okc = new KubeConfig();
          okc.loadFromString(other.kubeconfig);
          await expect(okc.makeApiClient(CoreV1Api).readNamespace({ name: namespace })).rejects.toSatisfy(isNotFound);
        }

        // Deleting the namespace: the namespace controller empties it (kwok
        // finishes the pods' deletion) and the namespace disappears.
        await core.deleteNamespace({ name: namespace });
        await eventually(
          async () => {
            await expect(core.readNamespace({ name: namespace })).rejects.toSatisfy(isNotFound);
          },
          { timeoutMs: 90_000, intervalMs: 250, description: `namespace ${namespace} deleted on ${cluster.name}` },
        );
      }),
    );

    const dirs = clusters.map((c) => c.dir);
    const pids = clusters.flatMap((c) => c.processes.map((p) => p.pid));
    await stopClusters(clusters);
    for (const dir of dirs) {
      expect(fs.existsSync(dir)).toBe(false);
      expect(processesMentioning(dir)).toEqual([]);
    }
    for (const pid of pids) expect(alive(pid), `pid ${pid}`).toBe(false);
  }, 300_000);
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    // A zombie awaiting reaping is not "left behind".
    return !/\) Z /.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}
