import type { KubernetesObject } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { hooksOf, planRevision } from './hook-plan.js';

const NAMESPACED = new Set(['ConfigMap', 'Job', 'Pod', 'Deployment', 'Service']);
const scopeOf = (_: string, kind: string) => (NAMESPACED.has(kind) ? ('Namespaced' as const) : undefined);

function obj(kind: string, name: string, annotations: Record<string, string> = {}): KubernetesObject {
  const apiVersion = kind === 'Job' ? 'batch/v1' : kind === 'Deployment' ? 'apps/v1' : 'v1';
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
});
