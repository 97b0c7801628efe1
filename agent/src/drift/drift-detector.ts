import type { KubernetesObject } from '@kubernetes/client-node';
import { apiErrorMessage, DriftCheckError, httpStatusOf, isRetryableStatus } from './drift.errors.js';
import type { ComparePatch, DriftResult, DryRunApplier, FieldDiff } from './drift.types.js';
import { diffValues } from './field-diff.js';
import { ignoredPointers, removePointers } from './ignore-rules.js';
import { jsonText, type JsonObject } from './json-value.js';
import { normalize } from './normalize.js';
import { redactDrift } from './secret-redaction.js';

/** Field manager the agent applies with; drift is judged against what this manager would set. */
export const AGENT_FIELD_MANAGER = 'flotilla-agent';

/** Options of {@link detectDrift}. */
export interface DetectDriftOptions {
  /** Field manager of the dry-run; must be the one the agent applies with. Default `flotilla-agent`. */
  fieldManager?: string;
  /** Key of the hashes in redacted Secret values (`keyedMarker`). Default: a random key made once per process. */
  redactionKey?: Uint8Array;
}

/**
 * Compares a desired object with its live counterpart and lists what drifted.
 *
 * Why a server-side apply dry-run instead of comparing `desired` with `live`
 * directly: the live object is full of fields the manifest never sets (server
 * defaults such as a Deployment's `strategy` and `terminationGracePeriodSeconds`,
 * fields other controllers own, such as an HPA's `spec.replicas` when the
 * manifest leaves it out), and only the
 * API server knows the schema well enough to merge lists by key and default
 * what we send. So we ask it: "if the agent applied `desired` now, forcing
 * ownership of its fields, what would the object be?" (`dryRun=All`,
 * `force=true`, the agent's field manager). Fields set by others and not by
 * us are carried over unchanged; defaults come out the same; only fields we
 * apply and someone changed, and fields we own but no longer apply, come out
 * different. The same approach as `kubectl diff --server-side` and Argo CD's
 * server-side diff.
 *
 * Both sides are then stripped of what the server owns ({@link normalize})
 * and of the fields the matching ignore rules name, and diffed leaf by leaf.
 * Every object involved is plain JSON as the API server speaks it; none is
 * modified.
 *
 * @param api runs the dry-run (it receives `desired` unchanged)
 * @param desired the manifest as the agent applies it
 * @param live the object in the cluster; `undefined` when it does not exist
 * @param rules ignore rules; those that select `desired` apply
 * Secret values never leave this function in clear (issue #9): every result
 * goes through {@link redactDrift}, the one place diffs are produced.
 *
 * @returns drifted with one diff per changed field (values from the dry-run as
 *   `desired`); when `live` is missing, a single diff at path `''` with the
 *   desired object as `desired` (a marker for a Secret) and `''` as `live`
 *   (ignore rules do not hide a deleted object)
 * @throws DriftCheckError when the dry-run fails
 */
export async function detectDrift(
  api: DryRunApplier,
  desired: KubernetesObject,
  live: KubernetesObject | undefined,
  rules: ComparePatch[],
  options: DetectDriftOptions = {},
): Promise<DriftResult> {
  const redacted = (diffs: FieldDiff[]) => redactDrift(desired.kind ?? '', diffs, options.redactionKey);
  if (live === undefined) {
    return { drifted: true, diffs: redacted([{ path: '', desired: jsonText(normalize(json(desired))), live: '' }]) };
  }
  const applied = await dryRunApply(api, desired, options.fieldManager ?? AGENT_FIELD_MANAGER);
  const pointers = ignoredPointers(rules, desired);
  const want = removePointers(normalize(json(applied)), pointers);
  const have = removePointers(normalize(json(live)), pointers);
  const diffs = redacted(diffValues(want, have));
  return { drifted: diffs.length > 0, diffs };
}

/** A Kubernetes object as the plain JSON object it is. */
function json(obj: KubernetesObject): JsonObject {
  return obj as JsonObject;
}

async function dryRunApply(api: DryRunApplier, desired: KubernetesObject, fieldManager: string): Promise<KubernetesObject> {
  try {
    return await api.dryRunApply(desired, fieldManager);
  } catch (err) {
    const status = httpStatusOf(err);
    const what = `${desired.kind ?? '?'} ${desired.metadata?.namespace ? `${desired.metadata.namespace}/` : ''}${desired.metadata?.name ?? '?'}`;
    throw new DriftCheckError(
      'DryRunFailed',
      `server-side apply dry-run of ${what} failed${status ? ` (HTTP ${status})` : ''}: ${apiErrorMessage(err)}`,
      isRetryableStatus(status),
      { cause: err },
    );
  }
}
