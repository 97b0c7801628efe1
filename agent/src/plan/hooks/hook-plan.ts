import type { KubernetesObject } from '@kubernetes/client-node';
import { describeRef, isGeneratedName, refOf, type ObjectRef } from '../../kube/object-ref.js';
import { kindRank } from '../kind-order.js';
import { planApply } from '../plan.js';
import type { ApplyStep, Plan, PlanInput, PlannedObject, Refusal } from '../plan.types.js';
import {
  classify,
  DELETE_PHASES,
  HOOK_PHASE_ANNOTATION,
  HOOK_PHASES,
  hookWave,
  namedDeletePolicies,
  type DeletePhase,
  type DeletePolicy,
  type HookPhase,
} from './hook-annotations.js';

/** A phase hooks run in: one of a sync, or one of the bundle's removal. */
export type RunPhase = HookPhase | DeletePhase;
const RUN_PHASES: readonly RunPhase[] = [...HOOK_PHASES, ...DELETE_PHASES];

/** One hook to run in one phase: the object as it is applied, its wave and delete policies. */
export interface PlannedHook {
  planned: PlannedObject;
  phase: RunPhase;
  wave: number;
  deletePolicies: DeletePolicy[];
}

/** Hooks of one phase and wave: they run together; the next wave starts once all completed. */
export interface HookWave {
  phase: RunPhase;
  wave: number;
  hooks: PlannedHook[];
}

/**
 * The hooks of a revision, phase by phase, waves lower first. The delete phases
 * (PreDelete, PostDelete) are not run by a sync: they are kept for the bundle's removal.
 */
export interface HookPlan {
  phases: Record<RunPhase, HookWave[]>;
  /** Hooks that cannot run (unknown kind, namespace not allowed); the revision fails if one is needed. */
  refused: Refusal[];
  /** Objects never applied (test hooks, Skip, Helm phases Argo CD does not map), with why. */
  dropped: { ref: ObjectRef; why: string }[];
}

/**
 * One wave of the Sync phase, which holds the main objects and the Sync hooks
 * (Argo CD's Sync phase): the wave's objects are applied, then its hooks run;
 * the next wave starts once they completed and the wave's objects are healthy
 * (Argo CD's multi-step sync; the last wave is not waited for).
 */
export interface SyncWave {
  wave: number;
  /** The wave's steps of main objects, in apply order (CRDs and Namespaces lead the first wave). */
  steps: ApplyStep[];
  /** The wave's Sync hooks (may be empty), in run order. */
  hooks: PlannedHook[];
}

/** A revision planned: the main objects (as {@link planApply} plans them), its hooks, and its Sync phase cut into waves. */
export interface RevisionPlan {
  plan: Plan;
  hooks: HookPlan;
  sync: SyncWave[];
}

/**
 * Plans a revision with hooks (pure). Hooks are taken out before the main
 * plan, so they are never part of the inventory and never pruned; they are
 * planned with the same namespace rules and ownership label as any object.
 * An object with several phases (`pre-install,post-install`) runs in each.
 * A delete hook without a delete policy is deleted once it succeeded (Argo CD
 * cleans up such hooks once the Application is gone).
 */
export function planRevision(input: PlanInput): RevisionPlan {
  const main: KubernetesObject[] = [];
  const hookSources: { obj: KubernetesObject; phases: RunPhase[]; deletePolicies: DeletePolicy[] }[] = [];
  const dropped: HookPlan['dropped'] = [];
  for (const obj of input.objects) {
    const role = classify(obj);
    if (role.role === 'main') main.push(obj);
    else if (role.role === 'dropped') dropped.push({ ref: refOf(obj), why: role.why });
    else if (role.phases.length + role.deletePhases.length === 0) dropped.push({ ref: refOf(obj), why: 'its hook annotation names no phase the agent knows' });
    else hookSources.push({ obj, phases: [...role.phases, ...role.deletePhases], deletePolicies: role.deletePolicies });
  }
  const plan = planApply({ ...input, objects: main });
  const refused: Refusal[] = [];
  const hooks: PlannedHook[] = [];
  for (const source of hookSources) {
    // One at a time: each hook's own plan settles its namespace and ownership like any object's.
    const single = planApply({ ...input, objects: [source.obj], inventory: [] });
    refused.push(...single.refused);
    const planned = single.steps[0]?.objects[0];
    if (!planned) continue;
    const named = namedDeletePolicies(source.obj);
    for (const phase of source.phases) {
      const policies: DeletePolicy[] = isDeletePhase(phase) && named.length === 0 ? ['BeforeHookCreation', 'HookSucceeded'] : source.deletePolicies;
      // A hook named by generateName is a new object every run: there is no previous run to delete.
      const deletePolicies = isGeneratedName(planned.ref) ? policies.filter((p) => p !== 'BeforeHookCreation') : policies;
      hooks.push({ planned: withPhase(planned, phase), phase, wave: hookWave(source.obj), deletePolicies });
    }
  }
  const phases = Object.fromEntries(RUN_PHASES.map((p) => [p, wavesOf(p, hooks.filter((h) => h.phase === p))])) as Record<RunPhase, HookWave[]>;
  return { plan, hooks: { phases, refused, dropped }, sync: syncWaves(plan.steps, phases.Sync) };
}

export function isDeletePhase(phase: RunPhase): phase is DeletePhase {
  return (DELETE_PHASES as readonly string[]).includes(phase);
}

/** The hooks of one phase in waves: lower waves first; in a wave by kind (as objects are applied), then by name. */
export function wavesOf(phase: RunPhase, hooks: PlannedHook[]): HookWave[] {
  const byWave = new Map<number, HookWave>();
  for (const hook of hooks) {
    let wave = byWave.get(hook.wave);
    if (!wave) byWave.set(hook.wave, (wave = { phase, wave: hook.wave, hooks: [] }));
    wave.hooks.push(hook);
  }
  const byHook = (a: PlannedHook, b: PlannedHook) => kindRank(a.planned.ref.kind) - kindRank(b.planned.ref.kind) || describeRef(a.planned.ref).localeCompare(describeRef(b.planned.ref));
  for (const wave of byWave.values()) wave.hooks.sort(byHook);
  return [...byWave.values()].sort((a, b) => a.wave - b.wave);
}

/**
 * The Sync phase cut into waves (pure): the main objects' steps and the Sync
 * hooks of each wave number, lower first. CRD and Namespace steps stay
 * ahead of everything (as {@link planApply} orders them), at the head of the
 * first wave.
 */
export function syncWaves(steps: ApplyStep[], syncHooks: HookWave[]): SyncWave[] {
  const byWave = new Map<number, SyncWave>();
  const waveNumbered = (wave: number) => {
    let found = byWave.get(wave);
    if (!found) byWave.set(wave, (found = { wave, steps: [], hooks: [] }));
    return found;
  };
  const structural = steps.filter((s) => s.kind === 'crds' || s.kind === 'namespaces');
  for (const step of steps) if (!structural.includes(step)) waveNumbered(step.wave).steps.push(step);
  for (const hookWave of syncHooks) waveNumbered(hookWave.wave).hooks.push(...hookWave.hooks);
  const waves = [...byWave.values()].sort((a, b) => a.wave - b.wave);
  if (structural.length) {
    if (waves.length === 0) waves.push({ wave: 0, steps: [], hooks: [] });
    waves[0]!.steps.unshift(...structural);
  }
  return waves;
}

/** The hook as applied in `phase`: marked with the phase it ran in (for people reading the cluster). */
function withPhase(planned: PlannedObject, phase: RunPhase): PlannedObject {
  const metadata = { ...planned.object.metadata, annotations: { ...planned.object.metadata?.annotations, [HOOK_PHASE_ANNOTATION]: phase } };
  return { ...planned, object: { ...planned.object, metadata } };
}

/** Every hook of the plan in one phase, in run order (for tests and logs). */
export function hooksOf(plan: HookPlan, phase: RunPhase): PlannedHook[] {
  return plan.phases[phase].flatMap((w) => w.hooks);
}
