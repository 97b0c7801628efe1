import type { KubernetesObject } from '@kubernetes/client-node';

/**
 * One field that differs between the desired state and the live object.
 * Same shape as the `FieldDiff` message of `flotilla.v1` so it can be reported
 * as is.
 */
export interface FieldDiff {
  /** RFC 6901 JSON pointer of the field (`''` is the whole object). */
  path: string;
  /** JSON of the desired value; `''` when the field should not exist. */
  desired: string;
  /** JSON of the live value; `''` when the field is missing. */
  live: string;
}

/** The outcome of comparing one desired object with its live counterpart. */
export interface DriftResult {
  /** True when at least one difference is left after ignore rules. */
  drifted: boolean;
  /** The differences, ordered by path; empty when nothing drifted. */
  diffs: FieldDiff[];
}

/**
 * Fields to leave out of drift detection for matching objects, like Fleet's
 * `diff.comparePatches` and Argo CD's `ignoreDifferences` (`jsonPointers`).
 * Same shape as the `ComparePatch` message of `flotilla.v1`.
 */
export interface ComparePatch {
  /** Exact apiVersion to match (e.g. `apps/v1`); `''` matches any. */
  apiVersion: string;
  /** Kind to match; `''` matches any. */
  kind: string;
  /** Namespace to match; `''` matches any (and cluster-scoped objects). */
  namespace: string;
  /** Name to match; `''` matches any. */
  name: string;
  /** RFC 6901 pointers of the ignored fields, e.g. `/spec/replicas` or `/metadata/annotations/example.com~1note`. */
  jsonPointers: string[];
}

/**
 * The one API call drift detection makes, a server-side apply dry-run,
 * behind an interface so that the drift module needs no Kubernetes client
 * (the agent serves it with its own small JSON client, see
 * `reconcile/drift-api.ts`; unit tests with a fake).
 */
export interface DryRunApplier {
  /**
   * Server-side apply of `desired` with `dryRun=All` and `force=true` under
   * `fieldManager`; resolves the object the server would store, as plain
   * JSON. `desired` must be sent as is: dropping a field the client does not
   * know would change the result. Rejects with an error carrying the HTTP
   * status (a `status` or `code` number, as the agent's `KubeApiError` does)
   * and the API server's message.
   */
  dryRunApply(desired: KubernetesObject, fieldManager: string): Promise<KubernetesObject>;
}
