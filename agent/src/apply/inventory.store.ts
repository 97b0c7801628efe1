import { isNotFound } from '../kube/kube-api-error.js';
import type { KubeClient } from '../kube/kube-client.js';
import { BUNDLE_LABEL } from '../kube/object-ref.js';
import { serverSideApply } from '../kube/server-side-apply.js';
import { DeleteHookStore } from './hooks/delete-hooks.store.js';
import { decodeObjects, encodeObjects, type Inventory } from './inventory.js';

const INVENTORY_LABEL = 'flotilla.dev/inventory';

interface ConfigMap {
  metadata: { name: string; labels?: Record<string, string> };
  data?: Record<string, string>;
}

/** Inventories as ConfigMaps `flotilla-inventory-<bundle>` in the agent namespace, and the delete hooks kept beside them. */
export class InventoryStore {
  readonly deleteHooks: DeleteHookStore;

  constructor(
    private readonly kube: KubeClient,
    private readonly namespace: string,
  ) {
    this.deleteHooks = new DeleteHookStore(kube, namespace);
  }

  async load(bundleName: string): Promise<Inventory | undefined> {
    try {
      return fromConfigMap(await this.kube.request<ConfigMap>('GET', this.path(bundleName)));
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async save(inventory: Inventory): Promise<void> {
    await serverSideApply(this.kube, this.path(inventory.bundleName), {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: inventoryName(inventory.bundleName),
        namespace: this.namespace,
        labels: { [INVENTORY_LABEL]: 'true', [BUNDLE_LABEL]: inventory.bundleName },
      },
      data: {
        bundleName: inventory.bundleName,
        deploymentId: inventory.deploymentId,
        appliedRevision: inventory.appliedRevision,
        appliedKey: inventory.appliedKey,
        keepResources: String(inventory.keepResources),
        deleteNamespace: inventory.deleteNamespace ?? '',
        deleteHooks: inventory.deleteHooksDigest ?? '',
        objects: encodeObjects(inventory.objects),
      },
    });
  }

  async delete(bundleName: string): Promise<void> {
    try {
      await this.kube.request('DELETE', this.path(bundleName));
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }

  /** Every inventory in the namespace (to find bundles the hub no longer assigns). */
  async list(): Promise<Inventory[]> {
    const list = await this.kube.request<{ items: ConfigMap[] }>('GET', `/api/v1/namespaces/${this.namespace}/configmaps`, {
      query: { labelSelector: `${INVENTORY_LABEL}=true` },
    });
    return (list.items ?? []).map(fromConfigMap).filter((i): i is Inventory => i !== undefined);
  }

  private path(bundleName: string): string {
    return `/api/v1/namespaces/${this.namespace}/configmaps/${inventoryName(bundleName)}`;
  }
}

export function inventoryName(bundleName: string): string {
  return `flotilla-inventory-${bundleName}`;
}

function fromConfigMap(cm: ConfigMap): Inventory | undefined {
  const d = cm.data ?? {};
  if (!d.bundleName) return undefined;
  return {
    bundleName: d.bundleName,
    deploymentId: d.deploymentId ?? '',
    appliedRevision: d.appliedRevision ?? '',
    appliedKey: d.appliedKey ?? '',
    keepResources: d.keepResources === 'true',
    ...(d.deleteNamespace ? { deleteNamespace: d.deleteNamespace } : {}),
    ...(d.deleteHooks ? { deleteHooksDigest: d.deleteHooks } : {}),
    objects: decodeObjects(d.objects ?? ''),
  };
}
