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
  metadata?: { namespace?: string | undefined; name?: string | undefined; generateName?: string | undefined };
}

/**
 * Marks the name {@link refOf} gives an object named by `metadata.generateName`
 * (hooks only): the prefix and `*`, which no real name contains, so that
 * such objects are told apart by their prefix and never taken for a named one.
 */
export const GENERATED_NAME_MARK = '*';

/** Whether `ref` stands for an object the API server will name (`metadata.generateName`). */
export function isGeneratedName(ref: Pick<ObjectRef, 'name'>): boolean {
  return ref.name.endsWith(GENERATED_NAME_MARK);
}

/** API group of an apiVersion (`''` for the core group). */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/**
 * The reference of an object; missing fields become `''`. An object with no
 * name but a `generateName` is named `<generateName>*` ({@link GENERATED_NAME_MARK}).
 */
export function refOf(obj: IdentifiedObject): ObjectRef {
  const generateName = obj.metadata?.generateName;
  return {
    apiVersion: obj.apiVersion ?? '',
    kind: obj.kind ?? '',
    namespace: obj.metadata?.namespace ?? '',
    name: obj.metadata?.name || (generateName ? `${generateName}${GENERATED_NAME_MARK}` : ''),
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
