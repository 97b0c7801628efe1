import type { KubeClient } from '../kube/kube-client.js';

interface Crd {
  spec?: { group?: string; versions?: { name: string; served?: boolean }[] };
  status?: { conditions?: { type: string; status: string; message?: string }[] };
}

/**
 * Polls CRD `name` until its Established condition is True (its kinds are
 * served) and returns the apiVersions it serves. Objects of a CRD applied in
 * the same revision can only be applied after that.
 */
export async function waitForEstablished(kube: KubeClient, name: string, timeoutMs = 60_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let delay = 100;
  for (;;) {
    const crd = await kube.request<Crd>('GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`);
    const conditions = crd.status?.conditions ?? [];
    if (conditions.some((c) => c.type === 'Established' && c.status === 'True')) {
      return (crd.spec?.versions ?? []).filter((v) => v.served !== false).map((v) => `${crd.spec?.group}/${v.name}`);
    }
    if (Date.now() > deadline) {
      const why = conditions.find((c) => c.type === 'NamesAccepted' && c.status === 'False')?.message;
      throw new Error(`CustomResourceDefinition ${name} is not Established after ${timeoutMs / 1000} s${why ? `: ${why}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 1000);
  }
}
