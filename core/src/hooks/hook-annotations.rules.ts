/**
 * Helm and Argo CD hook annotations (gitops-engine `pkg/sync/hook`,
 * `pkg/sync/syncwaves`), in one place for the agent (which runs hooks) and
 * the manifest rules (which let hooks use `metadata.generateName`). Pure.
 */

/** The part of an object hook rules read (any object shape fits). */
export interface AnnotatedObject {
  metadata?: { annotations?: Record<string, string> | undefined } | undefined;
}

/** Annotations read to classify hooks (Argo CD's and Helm's). */
export const ARGO_HOOK = 'argocd.argoproj.io/hook';
export const ARGO_DELETE_POLICY = 'argocd.argoproj.io/hook-delete-policy';
export const ARGO_SYNC_WAVE = 'argocd.argoproj.io/sync-wave';
export const HELM_HOOK = 'helm.sh/hook';
export const HELM_WEIGHT = 'helm.sh/hook-weight';
export const HELM_DELETE_POLICY = 'helm.sh/hook-delete-policy';
/** Set by the agent on every hook it creates: the phase it ran in. */
export const HOOK_PHASE_ANNOTATION = 'flotilla.dev/hook';

/** The phases of a sync a hook runs in (Argo CD's names). */
export type HookPhase = 'PreSync' | 'Sync' | 'PostSync' | 'SyncFail';
export const HOOK_PHASES: readonly HookPhase[] = ['PreSync', 'Sync', 'PostSync', 'SyncFail'];

/**
 * The phases a hook runs in when its bundle is removed from a cluster (Argo CD's
 * PreDelete and PostDelete, which run when an Application is deleted): before
 * its objects are deleted, and once they are gone.
 */
export type DeletePhase = 'PreDelete' | 'PostDelete';
export const DELETE_PHASES: readonly DeletePhase[] = ['PreDelete', 'PostDelete'];
/** Helm's delete hooks, as Argo CD's controller maps them (`controller/hook.go`). */
const HELM_DELETE_PHASES: Record<DeletePhase, string> = { PreDelete: 'pre-delete', PostDelete: 'post-delete' };

/** Argo CD's delete policies; Helm's are mapped onto them. */
export type DeletePolicy = 'BeforeHookCreation' | 'HookSucceeded' | 'HookFailed';

const HELM_PHASES: Record<string, HookPhase> = {
  'pre-install': 'PreSync',
  'pre-upgrade': 'PreSync',
  'post-install': 'PostSync',
  'post-upgrade': 'PostSync',
};
const HELM_POLICIES: Record<string, DeletePolicy> = {
  'before-hook-creation': 'BeforeHookCreation',
  'hook-succeeded': 'HookSucceeded',
  'hook-failed': 'HookFailed',
};
const ARGO_POLICIES = new Set<string>(['BeforeHookCreation', 'HookSucceeded', 'HookFailed']);

/**
 * What an object of a revision is to the agent:
 * - `main`: applied, inventoried and pruned like any object (also `helm.sh/hook: crd-install`,
 *   which Helm 3 only kept for compatibility and Argo CD applies as a plain object);
 * - `hook`: run in its sync phases around the main apply, and kept to run in its delete phases
 *   when the bundle is removed; never inventoried;
 * - `dropped`: never applied (`argocd.argoproj.io/hook: Skip`; Helm hooks with no phase Argo CD
 *   maps: test, test-success, test-failure, pre/post-rollback).
 */
export type ObjectRole =
  | { role: 'main' }
  | { role: 'hook'; phases: HookPhase[]; deletePhases: DeletePhase[]; deletePolicies: DeletePolicy[] }
  | { role: 'dropped'; why: string };

/** Comma-separated annotation values, trimmed (gitops-engine's GetAnnotationCSVs). */
function csv(obj: AnnotatedObject, key: string): string[] | undefined {
  const value: unknown = obj.metadata?.annotations?.[key];
  if (typeof value !== 'string') return undefined;
  return value.split(',').map((v) => v.trim()).filter(Boolean);
}

/**
 * Classifies one object as gitops-engine's `hook.IsHook`/`hook.Types`/`hook.Skip` do for the
 * sync phases (an `argocd.argoproj.io/hook` annotation wins over `helm.sh/hook`, whose sync
 * phases are then ignored), and as Argo CD's controller does for the delete phases (either
 * annotation names one: `PreDelete`/`PostDelete`, `pre-delete`/`post-delete`).
 */
export function classify(obj: AnnotatedObject): ObjectRole {
  const argo = csv(obj, ARGO_HOOK);
  const helm = csv(obj, HELM_HOOK);
  const deletePhases = DELETE_PHASES.filter((p) => argo?.includes(p) || helm?.includes(HELM_DELETE_PHASES[p]));
  const hook = (phases: HookPhase[]): ObjectRole => ({ role: 'hook', phases, deletePhases, deletePolicies: deletePolicies(obj) });
  if (argo !== undefined) {
    const known = argo.filter((t) => (HOOK_PHASES as readonly string[]).includes(t) || t === 'Skip');
    // Only "Skip" (alone) skips; Argo CD also ignores Skip next to a real phase.
    if (known.length === 1 && known[0] === 'Skip' && deletePhases.length === 0) return { role: 'dropped', why: `${ARGO_HOOK}: Skip` };
    return hook(unique(known.filter((t): t is HookPhase => t !== 'Skip')));
  }
  if (helm === undefined || obj.metadata?.annotations?.[HELM_HOOK] === 'crd-install') return { role: 'main' };
  const phases = unique(helm.map((t) => HELM_PHASES[t]).filter((p): p is HookPhase => p !== undefined));
  if (phases.length === 0 && deletePhases.length === 0) return { role: 'dropped', why: `${HELM_HOOK}: ${helm.join(',')} has no phase Argo CD runs (it ignores it too)` };
  return hook(phases);
}

/** Argo's and Helm's delete policies together; BeforeHookCreation when neither names one. */
export function deletePolicies(obj: AnnotatedObject): DeletePolicy[] {
  const all = namedDeletePolicies(obj);
  return all.length ? all : ['BeforeHookCreation'];
}

/** The delete policies the object's annotations name (Argo's and Helm's), none when they name none. */
export function namedDeletePolicies(obj: AnnotatedObject): DeletePolicy[] {
  const argo = (csv(obj, ARGO_DELETE_POLICY) ?? []).filter((p): p is DeletePolicy => ARGO_POLICIES.has(p));
  const helm = (csv(obj, HELM_DELETE_POLICY) ?? []).map((p) => HELM_POLICIES[p]).filter((p): p is DeletePolicy => p !== undefined);
  return unique([...argo, ...helm]);
}

/** Wave of a hook: `argocd.argoproj.io/sync-wave`, else `helm.sh/hook-weight`, else 0 (gitops-engine `syncwaves.Wave`; non-integers ignored). */
export function hookWave(obj: AnnotatedObject): number {
  return intAnnotation(obj, ARGO_SYNC_WAVE) ?? intAnnotation(obj, HELM_WEIGHT) ?? 0;
}

export function intAnnotation(obj: AnnotatedObject, key: string): number | undefined {
  const raw: unknown = obj.metadata?.annotations?.[key];
  const value = typeof raw === 'string' ? raw.trim() : undefined;
  return value !== undefined && /^[-+]?\d{1,9}$/.test(value) ? Number.parseInt(value, 10) : undefined;
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}

/**
 * Whether an object is a hook that runs in a phase: `argocd.argoproj.io/hook`
 * with a phase, or `helm.sh/hook` with a phase Argo CD maps (not a test
 * or rollback hook, not `crd-install`). Only such objects may be
 * named by `metadata.generateName` (each run creates a new object).
 */
export function isHookObject(obj: AnnotatedObject): boolean {
  const role = classify(obj);
  return role.role === 'hook' && role.phases.length + role.deletePhases.length > 0;
}

/**
 * A hook named by a non-empty `metadata.generateName` and no name: the API server names it when it is created
 * (Argo CD lets hooks do this; every other object needs a stable name to be tracked and pruned).
 */
export function isGeneratedHook(obj: AnnotatedObject & { metadata?: { name?: unknown; generateName?: unknown } | undefined }): boolean {
  const metadata = obj.metadata;
  return metadata?.name === undefined && typeof metadata?.generateName === 'string' && metadata.generateName !== '' && isHookObject(obj);
}
