import { KubeApiError } from '../kube/kube-api-error.js';
import type { KubeClient } from '../kube/kube-client.js';
import type { ObjectRef } from '../kube/object-ref.js';

/** How a kind is served: the REST resource name and whether it lives in namespaces. */
export interface ResourceInfo {
  resource: string;
  namespaced: boolean;
}

interface GroupVersionEntry {
  kinds: Map<string, ResourceInfo> | undefined;
  fetchedAt: number;
}

/** How long a "group/version not served" answer is trusted: CRDs appear at any time. */
const MISSING_TTL_MS = 30_000;

/**
 * A cached RESTMapper: apiVersion + kind → resource and scope, from the API
 * server's discovery documents (`/api/v1`, `/apis/<group>/<version>`), fetched
 * per group/version on first use. CRDs applied by the agent itself are
 * invalidated explicitly once Established; other misses expire after 30 s.
 */
export class Discovery {
  private readonly cache = new Map<string, GroupVersionEntry>();

  constructor(private readonly kube: KubeClient) {}

  /** The resource serving `apiVersion`/`kind`, or undefined when the server does not know it. */
  async lookup(apiVersion: string, kind: string): Promise<ResourceInfo | undefined> {
    let entry = this.cache.get(apiVersion);
    const stale = entry && (entry.kinds === undefined || !entry.kinds.has(kind)) && Date.now() - entry.fetchedAt > MISSING_TTL_MS;
    if (!entry || stale) {
      entry = await this.fetch(apiVersion);
      this.cache.set(apiVersion, entry);
    }
    return entry.kinds?.get(kind);
  }

  /** Forget what is known about `apiVersion` (all when omitted), e.g. after a CRD became Established. */
  invalidate(apiVersion?: string): void {
    if (apiVersion === undefined) this.cache.clear();
    else this.cache.delete(apiVersion);
  }

  private async fetch(apiVersion: string): Promise<GroupVersionEntry> {
    const path = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    try {
      const list = await this.kube.request<{ resources?: { name: string; kind: string; namespaced: boolean }[] }>('GET', path);
      const kinds = new Map<string, ResourceInfo>();
      for (const r of list.resources ?? []) {
        if (r.name.includes('/')) continue; // subresources
        kinds.set(r.kind, { resource: r.name, namespaced: r.namespaced });
      }
      return { kinds, fetchedAt: Date.now() };
    } catch (error) {
      if (error instanceof KubeApiError && error.status === 404) return { kinds: undefined, fetchedAt: Date.now() };
      throw error;
    }
  }
}

/** REST path of one object (or of its collection when `name` is omitted). */
export function objectPath(ref: Pick<ObjectRef, 'apiVersion' | 'namespace'> & { name?: string }, info: ResourceInfo): string {
  const base = ref.apiVersion.includes('/') ? `/apis/${ref.apiVersion}` : `/api/${ref.apiVersion}`;
  const ns = info.namespaced && ref.namespace ? `/namespaces/${encodeURIComponent(ref.namespace)}` : '';
  const name = ref.name ? `/${encodeURIComponent(ref.name)}` : '';
  return `${base}${ns}/${info.resource}${name}`;
}
