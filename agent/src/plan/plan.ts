import type { KubernetesObject } from '@kubernetes/client-node';
import { BUNDLE_LABEL, DEPLOYMENT_ANNOTATION, describeRef, isCrd, isGeneratedName, isNamespace, refKey, refOf, WAVE_ANNOTATION, type ObjectRef } from '../kube/object-ref.js';
import { ARGO_SYNC_WAVE, intAnnotation } from './hooks/hook-annotations.js';
import { kindRank } from './kind-order.js';
import type { ApplyStep, Plan, PlanInput, PlannedObject, Refusal, Scope, StepKind } from './plan.types.js';

export type * from './plan.types.js';

/**
 * Plans a revision (pure): the order to apply its objects in, the objects of
 * the inventory to delete, and the objects refused.
 *
 * Order: CRDs (then wait until Established), Namespaces, then for each wave
 * ({@link waveOf}, lower first, default 0) its cluster-scoped objects,
 * then its namespaced objects. CRDs and Namespaces go first whatever their
 * wave: a wave can never need to run before the definitions and namespaces
 * its objects live in, and putting them first is what Argo CD and Helm do too.
 */
export function planApply(input: PlanInput): Plan {
  const scopeOf = withBundleCrds(input.scopeOf, input.objects);
  const defaultNamespace = input.defaultNamespace || 'default';
  const allowed = input.allowedNamespaces ? new Set(input.allowedNamespaces) : undefined;
  const planned: { scope: Scope; item: PlannedObject }[] = [];
  const refused: Refusal[] = [];
  const desiredRefs: ObjectRef[] = [];

  for (const source of input.objects) {
    const scope = scopeOf(source.apiVersion ?? '', source.kind ?? '');
    const ref = refOf(source);
    if (scope === 'Namespaced' && (input.forceNamespace || !ref.namespace)) ref.namespace = defaultNamespace;
    if (scope === 'Cluster') ref.namespace = '';
    const key = refKey(ref);
    desiredRefs.push(ref);
    const refusal = (reason: Refusal['reason'], message: string) => refused.push({ ref, key, reason, message });
    if (!scope) {
      refusal('ApplyFailed', `the API server has no kind ${ref.kind} in ${ref.apiVersion} (is its CRD installed?)`);
    } else if (input.forceNamespace && scope === 'Cluster') {
      refusal('NamespaceNotAllowed', `${describeRef(ref)} is cluster-scoped; the bundle's namespace is forced to ${defaultNamespace} (fleet.yaml namespace), which allows namespaced objects only`);
    } else if (allowed && scope === 'Cluster') {
      refusal('NamespaceNotAllowed', `${describeRef(ref)} is cluster-scoped; the agent runs in namespaced mode (FLOTILLA_NAMESPACES) and only manages objects in ${[...allowed].join(', ')}`);
    } else if (allowed && !allowed.has(ref.namespace)) {
      refusal('NamespaceNotAllowed', `namespace ${ref.namespace} of ${describeRef(ref)} is not one of FLOTILLA_NAMESPACES (${[...allowed].join(', ')})`);
    } else {
      planned.push({ scope, item: { ref, key, wave: waveOf(source), object: owned(source, ref, input) } });
    }
  }

  const desiredKeys = new Set(desiredRefs.map(refKey));
  const deletions = dedupe(input.inventory)
    .filter((ref) => !desiredKeys.has(refKey(ref)))
    .sort((a, b) => deleteRank(a) - deleteRank(b) || compareRefs(a, b));
  return { steps: buildSteps(planned), deletions, refused, desiredRefs };
}

function buildSteps(planned: { scope: Scope; item: PlannedObject }[]): ApplyStep[] {
  const groups = new Map<string, ApplyStep>();
  for (const { scope, item } of planned) {
    const kind: StepKind = isCrd(item.ref) ? 'crds' : isNamespace(item.ref) ? 'namespaces' : scope === 'Cluster' ? 'cluster-scoped' : 'namespaced';
    const wave = kind === 'crds' || kind === 'namespaces' ? Number.NEGATIVE_INFINITY : item.wave;
    const id = `${kind}@${wave}`;
    let step = groups.get(id);
    if (!step) {
      step = { kind, wave: Number.isFinite(wave) ? wave : 0, waitForEstablished: kind === 'crds', objects: [] };
      groups.set(id, step);
    }
    step.objects.push(item);
  }
  const rank = (s: ApplyStep) => (s.kind === 'crds' ? 0 : s.kind === 'namespaces' ? 1 : 2);
  const phase = (s: ApplyStep) => (s.kind === 'cluster-scoped' ? 0 : 1);
  const steps = [...groups.values()].sort((a, b) => rank(a) - rank(b) || a.wave - b.wave || phase(a) - phase(b));
  for (const step of steps) step.objects.sort((a, b) => a.wave - b.wave || kindRank(a.ref.kind) - kindRank(b.ref.kind) || compareRefs(a.ref, b.ref));
  return steps;
}

/** The object as it is applied: namespace settled, ownership label and deployment annotation added. */
function owned(source: KubernetesObject, ref: ObjectRef, input: PlanInput): KubernetesObject {
  // A hook named by generateName keeps it: the API server names it when it is created.
  const metadata = isGeneratedName(ref) ? { ...source.metadata } : { ...source.metadata, name: ref.name };
  if (ref.namespace) metadata.namespace = ref.namespace;
  else delete metadata.namespace;
  metadata.labels = { ...metadata.labels, [BUNDLE_LABEL]: input.bundleName };
  metadata.annotations = { ...metadata.annotations, [DEPLOYMENT_ANNOTATION]: input.deploymentId };
  // Server-managed fields never belong in an apply configuration.
  for (const field of ['resourceVersion', 'uid', 'creationTimestamp', 'managedFields', 'generation', 'selfLink'] as const) {
    delete (metadata as Record<string, unknown>)[field];
  }
  return { ...source, metadata };
}

/** Adds the kinds defined by the revision's own CRDs, which discovery cannot know before they are applied. */
function withBundleCrds(scopeOf: PlanInput['scopeOf'], objects: KubernetesObject[]): PlanInput['scopeOf'] {
  const defined = new Map<string, Scope>();
  for (const obj of objects) {
    if (!isCrd(refOf(obj))) continue;
    const spec = (obj as { spec?: { group?: string; scope?: string; names?: { kind?: string }; versions?: { name?: string }[] } }).spec;
    const scope: Scope = spec?.scope === 'Cluster' ? 'Cluster' : 'Namespaced';
    for (const version of spec?.versions ?? []) {
      if (spec?.group && version.name && spec.names?.kind) defined.set(`${spec.group}/${version.name}|${spec.names.kind}`, scope);
    }
  }
  return (apiVersion, kind) => scopeOf(apiVersion, kind) ?? defined.get(`${apiVersion}|${kind}`);
}

/**
 * Wave of an object: `flotilla.dev/wave` (the content parser has already
 * rejected non-integers), else Argo CD's `argocd.argoproj.io/sync-wave`
 * (ignored when not an integer, as Argo CD does), else 0. When both are
 * set, ours wins: it is the one written for this agent.
 */
export function waveOf(obj: KubernetesObject): number {
  const value = obj.metadata?.annotations?.[WAVE_ANNOTATION];
  if (value !== undefined) return Number.parseInt(value, 10);
  return intAnnotation(obj, ARGO_SYNC_WAVE) ?? 0;
}

function deleteRank(ref: ObjectRef): number {
  if (isCrd(ref)) return 3;
  if (isNamespace(ref)) return 2;
  return ref.namespace ? 0 : 1;
}

function compareRefs(a: ObjectRef, b: ObjectRef): number {
  return a.namespace.localeCompare(b.namespace) || a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name);
}

function dedupe(refs: ObjectRef[]): ObjectRef[] {
  const seen = new Map<string, ObjectRef>();
  for (const ref of refs) seen.set(refKey(ref), ref);
  return [...seen.values()];
}
