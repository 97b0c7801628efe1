import type { KubernetesObject } from '@kubernetes/client-node';

/** Identifies one object. `namespace` is `''` for cluster-scoped objects. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
}

/** Labels and annotations the agent puts on every object it applies. */
export const BUNDLE_LABEL = 'flotilla.dev/bundle';
export const DEPLOYMENT_ANNOTATION = 'flotilla.dev/deployment-id';
export const WAVE_ANNOTATION = 'flotilla.dev/wave';
/** Field manager of every server-side apply the agent makes. */
export const FIELD_MANAGER = 'flotilla-agent';

/** API group of an apiVersion (`''` for the core group). */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

export function refOf(obj: KubernetesObject): ObjectRef {
  return {
    apiVersion: obj.apiVersion ?? '',
    kind: obj.kind ?? '',
    namespace: obj.metadata?.namespace ?? '',
    name: obj.metadata?.name ?? '',
  };
}

/**
 * Identity of an object regardless of the API version it is served at
 * (`apps/v1` and a future `apps/v2` Deployment "web" are the same object).
 */
export function refKey(ref: ObjectRef): string {
  return `${groupOf(ref.apiVersion)}/${ref.kind}/${ref.namespace}/${ref.name}`;
}

/** "Deployment web in namespace shop" / "Namespace shop": how messages name an object. */
export function describeRef(ref: ObjectRef): string {
  return ref.namespace ? `${ref.kind} ${ref.namespace}/${ref.name}` : `${ref.kind} ${ref.name}`;
}

export function isCrd(ref: { apiVersion: string; kind: string }): boolean {
  return ref.kind === 'CustomResourceDefinition' && groupOf(ref.apiVersion) === 'apiextensions.k8s.io';
}

export function isNamespace(ref: { apiVersion: string; kind: string }): boolean {
  return ref.kind === 'Namespace' && ref.apiVersion === 'v1';
}
