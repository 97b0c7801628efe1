/**
 * Helpers for the agent's integration tests: the agent's own building blocks
 * wired to a real test cluster (no hub), and a few readers for assertions.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Discovery } from '../../agent/src/apply/discovery.ts';
import { InventoryStore } from '../../agent/src/apply/inventory.store.ts';
import { isNotFound } from '../../agent/src/kube/kube-api-error.ts';
import { createKubeClient, type KubeClient } from '../../agent/src/kube/kube-client.ts';
import { kubeconfigConnection } from '../../agent/src/kube/kubeconfig.ts';
import { createLogger } from '../../agent/src/log/logger.ts';
import type { ReconcileContext } from '../../agent/src/reconcile/context.ts';
import { ContentSource } from '../../agent/src/store/content.source.ts';
import { ContentStore } from '../../agent/src/store/content.store.ts';
import type { Cluster } from '../clusters/index.ts';

export const rand = (): string => randomBytes(4).toString('hex');

export async function kubeFor(cluster: Cluster): Promise<KubeClient> {
  return createKubeClient(await kubeconfigConnection(cluster.kubeconfigPath));
}

export async function createNamespace(kube: KubeClient, name: string): Promise<void> {
  await kube.request('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } } });
}

/** The reconcile context of an agent whose namespace is `namespace`, with content only from its in-cluster store. */
export function agentContext(kube: KubeClient, namespace: string, extra: Partial<ReconcileContext> = {}): ReconcileContext & { store: ContentStore } {
  const store = new ContentStore(kube, namespace);
  return {
    kube,
    discovery: new Discovery(kube),
    inventories: new InventoryStore(kube, namespace),
    content: new ContentSource(store, (revision) => Promise.reject(new Error(`no hub in this test (revision ${revision})`))),
    allowedNamespaces: undefined,
    logger: createLogger(process.env.FLOTILLA_TEST_LOG ? 'debug' : 'error'),
    store,
    ...extra,
  };
}

/** Stores `objects` as a revision's content (as the agent does after fetching it) and returns the revision. */
export async function storeRevision(store: ContentStore, objects: unknown[]): Promise<string> {
  const bytes = Buffer.from(JSON.stringify(objects));
  const revision = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  await store.put(revision, bytes);
  return revision;
}

/** GET an object; undefined when it does not exist. */
export async function read(kube: KubeClient, path: string): Promise<any> {
  try {
    return await kube.request('GET', path);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

export const configMap = (name: string, namespace: string, data: Record<string, string> = { key: 'value' }) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace },
  data,
});
