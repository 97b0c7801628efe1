import { isNotFound } from '../kube/kube-api-error.js';
import type { KubeClient } from '../kube/kube-client.js';

interface Crd {
  spec?: { group?: string; names?: { kind?: string }; versions?: { name: string; served?: boolean }[] };
  status?: { conditions?: { type: string; status: string; message?: string }[] };
}

/**
 * Polls CRD `name` until its Established condition is True and its kind is
 * listed by the discovery of every version it serves, and returns those
 * apiVersions. Objects of a CRD applied in the same revision can only be
 * applied after that. (The API server sets Established a moment before the
 * new group-version's discovery document lists the kind: looking the kind up
 * in between finds nothing.)
 */
export async function waitForEstablished(kube: KubeClient, name: string, timeoutMs = 60_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let delay = 100;
  for (;;) {
    const crd = await kube.request<Crd>('GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`);
    const conditions = crd.status?.conditions ?? [];
    if (conditions.some((c) => c.type === 'Established' && c.status === 'True')) {
      const versions = (crd.spec?.versions ?? []).filter((v) => v.served !== false).map((v) => `${crd.spec?.group}/${v.name}`);
      if (await everyServes(kube, versions, crd.spec?.names?.kind)) return versions;
    }
    if (Date.now() > deadline) {
      const why = conditions.find((c) => c.type === 'NamesAccepted' && c.status === 'False')?.message;
      throw new Error(`CustomResourceDefinition ${name} is not Established and served after ${timeoutMs / 1000} s${why ? `: ${why}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 1000);
  }
}

/** Whether the discovery document of each apiVersion lists `kind` (a group-version not served yet answers 404). */
async function everyServes(kube: KubeClient, apiVersions: string[], kind: string | undefined): Promise<boolean> {
  for (const apiVersion of apiVersions) {
    const list = await kube.request<{ resources?: { kind: string }[] }>('GET', `/apis/${apiVersion}`).catch((error: unknown) => {
      if (isNotFound(error)) return undefined;
      throw error;
    });
    if (!list?.resources?.some((r) => r.kind === kind)) return false;
  }
  return true;
}
