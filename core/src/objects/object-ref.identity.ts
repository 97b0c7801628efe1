/** Identifies one Kubernetes object. `namespace` is `''` for cluster-scoped objects. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
}

/** The fields of a Kubernetes object that identify it (any object shape fits). */
export interface IdentifiedObject {
  apiVersion?: string;
  kind?: string;
  metadata?: { namespace?: string; name?: string };
}

/** API group of an apiVersion (`''` for the core group). */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** The reference of an object; missing fields become `''`. */
export function refOf(obj: IdentifiedObject): ObjectRef {
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
