import type { KubernetesObject } from '@kubernetes/client-node';
import { describeRef, isGeneratedName, refOf, type ObjectRef } from '../../kube/object-ref.js';
import { kindRank } from '../kind-order.js';
import { planApply } from '../plan.js';
import type { ApplyStep, Plan, PlanInput, PlannedObject, Refusal } from '../plan.types.js';
import { classify, HOOK_PHASE_ANNOTATION, HOOK_PHASES, hookWave, type DeletePolicy, type HookPhase } from './hook-annotations.js';

/** One hook to run in one phase: the object as it is applied, its wave and delete policies. */
export interface PlannedHook {
  planned: PlannedObject;
  phase: HookPhase;
  wave: number;
  deletePolicies: DeletePolicy[];
}

/** Hooks of one phase and wave: they run together; the next wave starts once all completed. */
export interface HookWave {
  phase: HookPhase;
  wave: number;
  hooks: PlannedHook[];
}

/** The hooks of a revision, phase by phase, waves lower first. */
export interface HookPlan {
  phases: Record<HookPhase, HookWave[]>;
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
 */
export function planRevision(input: PlanInput): RevisionPlan {
  const main: KubernetesObject[] = [];
  const hookSources: { obj: KubernetesObject; phases: HookPhase[]; deletePolicies: DeletePolicy[] }[] = [];
  const dropped: HookPlan['dropped'] = [];
  for (const obj of input.objects) {
    const role = classify(obj);
    if (role.role === 'main') main.push(obj);
    else if (role.role === 'dropped') dropped.push({ ref: refOf(obj), why: role.why });
    else if (role.phases.length === 0) dropped.push({ ref: refOf(obj), why: 'its hook annotation names no phase the agent knows' });
    else hookSources.push({ obj, ...role });
  }
  const plan = planApply({ ...input, objects: main });
  const refused: Refusal[] = [];
  const phases = Object.fromEntries(HOOK_PHASES.map((p) => [p, [] as HookWave[]])) as Record<HookPhase, HookWave[]>;
  for (const source of hookSources) {
    // One at a time: each hook's own plan settles its namespace and ownership like any object's.
    const single = planApply({ ...input, objects: [source.obj], inventory: [] });
    refused.push(...single.refused);
    const planned = single.steps[0]?.objects[0];
    if (!planned) continue;
    // A hook named by generateName is a new object every run: there is no previous run to delete.
    const deletePolicies = isGeneratedName(planned.ref) ? source.deletePolicies.filter((p) => p !== 'BeforeHookCreation') : source.deletePolicies;
    for (const phase of source.phases) {
      const hook: PlannedHook = { planned: withPhase(planned, phase), phase, wave: hookWave(source.obj), deletePolicies };
      let wave = phases[phase].find((w) => w.wave === hook.wave);
      if (!wave) phases[phase].push((wave = { phase, wave: hook.wave, hooks: [] }));
      wave.hooks.push(hook);
    }
  }
  for (const phase of HOOK_PHASES) {
    phases[phase].sort((a, b) => a.wave - b.wave);
    for (const wave of phases[phase]) wave.hooks.sort((a, b) => kindRank(a.planned.ref.kind) - kindRank(b.planned.ref.kind) || describeRef(a.planned.ref).localeCompare(describeRef(b.planned.ref)));
  }
  return { plan, hooks: { phases, refused, dropped }, sync: syncWaves(plan.steps, phases.Sync) };
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
function withPhase(planned: PlannedObject, phase: HookPhase): PlannedObject {
  const metadata = { ...planned.object.metadata, annotations: { ...planned.object.metadata?.annotations, [HOOK_PHASE_ANNOTATION]: phase } };
  return { ...planned, object: { ...planned.object, metadata } };
}

/** Every hook of the plan in one phase, in run order (for tests and logs). */
export function hooksOf(plan: HookPlan, phase: HookPhase): PlannedHook[] {
  return plan.phases[phase].flatMap((w) => w.hooks);
}
