import type { FieldDiff } from '@flotilla/core';
import type { KubernetesObject } from '@kubernetes/client-node';

/** The wire shapes the drift module reports and obeys (`FieldDiff`, `ComparePatch` of `flotilla.v1`), via @flotilla/core. */
export type { ComparePatch, FieldDiff } from '@flotilla/core';

/** The outcome of comparing one desired object with its live counterpart. */
export interface DriftResult {
  /** True when at least one difference is left after ignore rules. */
  drifted: boolean;
  /** The differences, ordered by path; empty when nothing drifted. */
  diffs: FieldDiff[];
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
