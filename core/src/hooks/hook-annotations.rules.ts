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

/** The phases a hook runs in (Argo CD's names). */
export type HookPhase = 'PreSync' | 'Sync' | 'PostSync' | 'SyncFail';
export const HOOK_PHASES: readonly HookPhase[] = ['PreSync', 'Sync', 'PostSync', 'SyncFail'];

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
 * - `hook`: run in its phases around the main apply, never inventoried;
 * - `dropped`: never applied (`argocd.argoproj.io/hook: Skip`; Helm hooks with no phase Argo CD
 *   maps: test, test-success, test-failure, pre/post-delete, pre/post-rollback).
 */
export type ObjectRole =
  | { role: 'main' }
  | { role: 'hook'; phases: HookPhase[]; deletePolicies: DeletePolicy[] }
  | { role: 'dropped'; why: string };

/** Comma-separated annotation values, trimmed (gitops-engine's GetAnnotationCSVs). */
function csv(obj: AnnotatedObject, key: string): string[] | undefined {
  const value: unknown = obj.metadata?.annotations?.[key];
  if (typeof value !== 'string') return undefined;
  return value.split(',').map((v) => v.trim()).filter(Boolean);
}

/**
 * Classifies one object as gitops-engine's `hook.IsHook`/`hook.Types`/`hook.Skip` do: an
 * `argocd.argoproj.io/hook` annotation wins over `helm.sh/hook` (Helm's is then ignored entirely).
 */
export function classify(obj: AnnotatedObject): ObjectRole {
  const argo = csv(obj, ARGO_HOOK);
  if (argo !== undefined) {
    const known = argo.filter((t) => (HOOK_PHASES as readonly string[]).includes(t) || t === 'Skip');
    // Only "Skip" (alone) skips; Argo CD also ignores Skip next to a real phase.
    if (known.length === 1 && known[0] === 'Skip') return { role: 'dropped', why: `${ARGO_HOOK}: Skip` };
    return { role: 'hook', phases: unique(known.filter((t): t is HookPhase => t !== 'Skip')), deletePolicies: deletePolicies(obj) };
  }
  const helm = csv(obj, HELM_HOOK);
  if (helm === undefined || obj.metadata?.annotations?.[HELM_HOOK] === 'crd-install') return { role: 'main' };
  const phases = unique(helm.map((t) => HELM_PHASES[t]).filter((p): p is HookPhase => p !== undefined));
  if (phases.length === 0) return { role: 'dropped', why: `${HELM_HOOK}: ${helm.join(',')} has no phase in a sync (Argo CD ignores it too)` };
  return { role: 'hook', phases, deletePolicies: deletePolicies(obj) };
}

/** Argo's and Helm's delete policies together; BeforeHookCreation when neither names one. */
export function deletePolicies(obj: AnnotatedObject): DeletePolicy[] {
  const argo = (csv(obj, ARGO_DELETE_POLICY) ?? []).filter((p): p is DeletePolicy => ARGO_POLICIES.has(p));
  const helm = (csv(obj, HELM_DELETE_POLICY) ?? []).map((p) => HELM_POLICIES[p]).filter((p): p is DeletePolicy => p !== undefined);
  const all = unique([...argo, ...helm]);
  return all.length ? all : ['BeforeHookCreation'];
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
 * Whether an object is a hook that runs in a sync phase: `argocd.argoproj.io/hook`
 * with a phase, or `helm.sh/hook` with a phase Argo CD maps (not a test,
 * delete or rollback hook, not `crd-install`). Only such objects may be
 * named by `metadata.generateName` (each run creates a new object).
 */
export function isHookObject(obj: AnnotatedObject): boolean {
  const role = classify(obj);
  return role.role === 'hook' && role.phases.length > 0;
}

/**
 * A hook named by a non-empty `metadata.generateName` and no name: the API server names it when it is created
 * (Argo CD lets hooks do this; every other object needs a stable name to be tracked and pruned).
 */
export function isGeneratedHook(obj: AnnotatedObject & { metadata?: { name?: unknown; generateName?: unknown } | undefined }): boolean {
  const metadata = obj.metadata;
  return metadata?.name === undefined && typeof metadata?.generateName === 'string' && metadata.generateName !== '' && isHookObject(obj);
}
