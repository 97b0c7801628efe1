import type { KubernetesObject } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { hooksOf, planRevision, type SyncWave } from './hook-plan.js';

const NAMESPACED = new Set(['ConfigMap', 'Job', 'Pod', 'Deployment', 'Service']);
const CLUSTER = new Set(['Namespace', 'ClusterRole', 'CustomResourceDefinition']);
const scopeOf = (_: string, kind: string) => (NAMESPACED.has(kind) ? ('Namespaced' as const) : CLUSTER.has(kind) ? ('Cluster' as const) : undefined);

function obj(kind: string, name: string, annotations: Record<string, string> = {}): KubernetesObject {
  const apiVersion =
    kind === 'Job' ? 'batch/v1' : kind === 'Deployment' ? 'apps/v1' : kind === 'ClusterRole' ? 'rbac.authorization.k8s.io/v1' : kind === 'CustomResourceDefinition' ? 'apiextensions.k8s.io/v1' : 'v1';
  return { apiVersion, kind, metadata: { name, annotations } };
}

function plan(objects: KubernetesObject[]) {
  return planRevision({ bundleName: 'shop', deploymentId: 'd-1', objects, inventory: [], scopeOf, defaultNamespace: 'shop' });
}

const names = (hooks: ReturnType<typeof hooksOf>) => hooks.map((h) => `${h.planned.ref.kind}/${h.planned.ref.name}@${h.wave}`);

describe('planRevision', () => {
  it('takes hooks out of the main plan and its inventory, and drops test hooks', () => {
    const p = plan([
      obj('ConfigMap', 'cfg'),
      obj('Job', 'migrate', { 'helm.sh/hook': 'pre-install' }),
      obj('Pod', 'smoke', { 'helm.sh/hook': 'test' }),
      obj('Job', 'notify', { 'argocd.argoproj.io/hook': 'PostSync' }),
    ]);
    expect(p.plan.desiredRefs.map((r) => r.name)).toEqual(['cfg']);
    expect(p.plan.steps.flatMap((s) => s.objects.map((o) => o.ref.name))).toEqual(['cfg']);
    expect(names(hooksOf(p.hooks, 'PreSync'))).toEqual(['Job/migrate@0']);
    expect(names(hooksOf(p.hooks, 'PostSync'))).toEqual(['Job/notify@0']);
    expect(p.hooks.dropped.map((d) => d.ref.name)).toEqual(['smoke']);
  });

  it('orders hooks of a phase by wave (hook-weight or sync-wave), then kind and name', () => {
    const p = plan([
      obj('Job', 'b', { 'helm.sh/hook': 'pre-install', 'helm.sh/hook-weight': '5' }),
      obj('Job', 'a', { 'helm.sh/hook': 'pre-install', 'helm.sh/hook-weight': '5' }),
      obj('ConfigMap', 'z', { 'helm.sh/hook': 'pre-install', 'helm.sh/hook-weight': '5' }),
      obj('Job', 'first', { 'argocd.argoproj.io/hook': 'PreSync', 'argocd.argoproj.io/sync-wave': '-1' }),
      obj('Job', 'mid', { 'helm.sh/hook': 'pre-upgrade' }),
    ]);
    expect(p.hooks.phases.PreSync.map((w) => w.wave)).toEqual([-1, 0, 5]);
    expect(names(hooksOf(p.hooks, 'PreSync'))).toEqual(['Job/first@-1', 'Job/mid@0', 'ConfigMap/z@5', 'Job/a@5', 'Job/b@5']);
  });

  it('runs a hook of two phases in each, marked with the phase, owned like any object', () => {
    const p = plan([obj('Job', 'both', { 'helm.sh/hook': 'pre-install,post-install', 'helm.sh/hook-delete-policy': 'hook-succeeded' })]);
    const [pre] = hooksOf(p.hooks, 'PreSync');
    const [post] = hooksOf(p.hooks, 'PostSync');
    expect(pre?.planned.object.metadata?.annotations?.['flotilla.dev/hook']).toBe('PreSync');
    expect(post?.planned.object.metadata?.annotations?.['flotilla.dev/hook']).toBe('PostSync');
    expect(pre?.planned.ref.namespace).toBe('shop');
    expect(pre?.planned.object.metadata?.labels?.['flotilla.dev/bundle']).toBe('shop');
    expect(pre?.deletePolicies).toEqual(['HookSucceeded']);
  });

  it('keeps delete hooks out of the sync, in their own phases by hook-weight; deleted once succeeded when they name no policy', () => {
    const p = plan([
      obj('ConfigMap', 'cfg'),
      obj('Job', 'drain', { 'helm.sh/hook': 'pre-delete', 'helm.sh/hook-weight': '2' }),
      obj('Job', 'backup', { 'argocd.argoproj.io/hook': 'PreDelete', 'argocd.argoproj.io/hook-delete-policy': 'HookFailed' }),
      obj('ConfigMap', 'farewell', { 'helm.sh/hook': 'post-delete,post-install' }),
    ]);
    expect(p.plan.desiredRefs.map((r) => r.name)).toEqual(['cfg']);
    expect(names(hooksOf(p.hooks, 'PreDelete'))).toEqual(['Job/backup@0', 'Job/drain@2']);
    expect(names(hooksOf(p.hooks, 'PostDelete'))).toEqual(['ConfigMap/farewell@0']);
    expect(names(hooksOf(p.hooks, 'PostSync'))).toEqual(['ConfigMap/farewell@0']);
    expect(p.sync.flatMap((w) => w.hooks)).toEqual([]);
    expect(p.hooks.dropped).toEqual([]);
    const [backup, drain] = hooksOf(p.hooks, 'PreDelete');
    expect(drain!.deletePolicies).toEqual(['BeforeHookCreation', 'HookSucceeded']);
    expect(backup!.deletePolicies).toEqual(['HookFailed']);
    expect(drain!.planned.object.metadata?.annotations?.['flotilla.dev/hook']).toBe('PreDelete');
    expect(drain!.planned.object.metadata?.labels?.['flotilla.dev/bundle']).toBe('shop');
    // In a sync phase the hook keeps the sync default.
    expect(hooksOf(p.hooks, 'PostSync')[0]!.deletePolicies).toEqual(['BeforeHookCreation']);
  });

  it('refuses hooks of unknown kinds', () => {
    const p = plan([{ apiVersion: 'x.example.com/v1', kind: 'Gadget', metadata: { name: 'g', annotations: { 'helm.sh/hook': 'post-install' } } }]);
    expect(p.hooks.refused.map((r) => r.ref.name)).toEqual(['g']);
    expect(hooksOf(p.hooks, 'PostSync')).toEqual([]);
  });

  it('orders main objects by flotilla.dev/wave, else argocd.argoproj.io/sync-wave; ours wins when both are set', () => {
    const p = plan([
      obj('ConfigMap', 'argo-late', { 'argocd.argoproj.io/sync-wave': '2' }),
      obj('ConfigMap', 'both', { 'argocd.argoproj.io/sync-wave': '9', 'flotilla.dev/wave': '1' }),
      obj('ConfigMap', 'plain'),
    ]);
    expect(p.plan.steps.map((s) => `${s.wave}: ${s.objects.map((o) => o.ref.name).join(',')}`)).toEqual(['0: plain', '1: both', '2: argo-late']);
  });

  it('plans a hook named by generateName without a name, and without BeforeHookCreation (each run is a new object)', () => {
    const generated = { apiVersion: 'batch/v1', kind: 'Job', metadata: { generateName: 'migrate-', annotations: { 'helm.sh/hook': 'pre-install' } } };
    const p = plan([generated, obj('Job', 'named', { 'helm.sh/hook': 'pre-install', 'helm.sh/hook-delete-policy': 'before-hook-creation,hook-succeeded' })]);
    const [first, named] = hooksOf(p.hooks, 'PreSync');
    expect(first?.planned.ref).toMatchObject({ name: 'migrate-*', namespace: 'shop' });
    expect(first?.planned.object.metadata).toMatchObject({ generateName: 'migrate-', namespace: 'shop' });
    expect(first?.planned.object.metadata?.name).toBeUndefined();
    expect(first?.deletePolicies).toEqual([]);
    expect(named?.deletePolicies).toEqual(['BeforeHookCreation', 'HookSucceeded']);
    const withPolicy = plan([{ ...generated, metadata: { ...generated.metadata, annotations: { 'helm.sh/hook': 'pre-install', 'helm.sh/hook-delete-policy': 'hook-succeeded' } } }]);
    expect(hooksOf(withPolicy.hooks, 'PreSync')[0]?.deletePolicies).toEqual(['HookSucceeded']);
  });
});

describe('the Sync phase in waves (gitops-engine: main objects and Sync hooks share the waves)', () => {
  const show = (waves: SyncWave[]) =>
    waves.map((w) => {
      const objects = w.steps.flatMap((s) => s.objects.map((o) => o.ref.name));
      const hooks = w.hooks.map((h) => `hook:${h.planned.ref.name}`);
      return `${w.wave}${w !== waves.at(-1) ? ' (wait)' : ''}: ${[...objects, ...hooks].join(',')}`;
    });

  it('runs a Sync hook of wave 1 after the objects of wave 0 and before those of wave 2; every wave but the last waits for health', () => {
    const p = plan([
      obj('ConfigMap', 'late', { 'argocd.argoproj.io/sync-wave': '2' }),
      obj('Job', 'between', { 'argocd.argoproj.io/hook': 'Sync', 'argocd.argoproj.io/sync-wave': '1' }),
      obj('Deployment', 'early'),
      obj('Job', 'with-early', { 'argocd.argoproj.io/hook': 'Sync' }),
      obj('Job', 'after', { 'argocd.argoproj.io/hook': 'PostSync', 'argocd.argoproj.io/sync-wave': '1' }),
    ]);
    expect(show(p.sync)).toEqual(['0 (wait): early,hook:with-early', '1 (wait): hook:between', '2: late']);
  });

  it('keeps CRDs and Namespaces ahead of every wave, hooks of a lower wave included', () => {
    const crd = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'gadgets.example.com' }, spec: {} };
    const p = plan([
      obj('ConfigMap', 'cfg'),
      obj('Namespace', 'extra'),
      crd,
      obj('ClusterRole', 'reader', { 'flotilla.dev/wave': '-1' }),
      obj('Job', 'first', { 'argocd.argoproj.io/hook': 'Sync', 'argocd.argoproj.io/sync-wave': '-2' }),
    ]);
    expect(show(p.sync)).toEqual(['-2 (wait): gadgets.example.com,extra,hook:first', '-1 (wait): reader', '0: cfg']);
    expect(p.sync[0]?.steps.map((s) => s.kind)).toEqual(['crds', 'namespaces']);
  });

  it('is one wave without waiting when nothing is waved, and empty for an empty revision', () => {
    expect(show(plan([obj('ConfigMap', 'a'), obj('Namespace', 'ns'), obj('Job', 'pre', { 'helm.sh/hook': 'pre-install' })]).sync)).toEqual(['0: ns,a']);
    expect(show(plan([obj('Namespace', 'ns')]).sync)).toEqual(['0: ns']);
    expect(plan([]).sync).toEqual([]);
  });
});
