import type { Discovery } from '../apply/discovery.js';
import type { InventoryStore } from '../apply/inventory.store.js';
import type { KubeClient } from '../kube/kube-client.js';
import type { Logger } from '../log/logger.js';
import type { ContentSource } from '../store/content.source.js';

/** What reconciling needs from the outside world: passed in, never global. */
export interface ReconcileContext {
  kube: KubeClient;
  discovery: Discovery;
  inventories: InventoryStore;
  content: ContentSource;
  /** Namespaced mode (FLOTILLA_NAMESPACES). */
  allowedNamespaces: string[] | undefined;
  logger: Logger;
  /** How long one hook may take to complete, and one wait for health (a sync wave, before PostSync) (FLOTILLA_HOOK_TIMEOUT_SECONDS). Default 300 s. */
  hookTimeoutMs?: number;
}
