import type { KubeClient } from './kube-client.js';
import { FIELD_MANAGER } from './object-ref.js';

export interface ApplyOptions {
  /** Take over fields owned by other managers. Default true. */
  force?: boolean;
  /** Validate and return the result without persisting it. */
  dryRun?: boolean;
}

/**
 * Server-side apply of `obj` at `path` as the `flotilla-agent` field manager.
 * JSON is valid YAML, so the body is sent as is with the apply content type.
 */
export function serverSideApply<T = any>(kube: KubeClient, path: string, obj: unknown, options: ApplyOptions = {}): Promise<T> {
  return kube.request<T>('PATCH', path, {
    query: { fieldManager: FIELD_MANAGER, force: options.force ?? true, ...(options.dryRun ? { dryRun: 'All' } : {}) },
    body: obj,
    contentType: 'application/apply-patch+yaml',
  });
}
