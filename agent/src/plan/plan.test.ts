import type { KubernetesObject } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { planApply, type PlanInput, type Scope } from './plan.js';

const CLUSTER_KINDS = new Set(['Namespace', 'ClusterRole', 'CustomResourceDefinition', 'PriorityClass']);
const KNOWN = new Set(['v1', 'apps/v1', 'rbac.authorization.k8s.io/v1', 'apiextensions.k8s.io/v1', 'scheduling.k8s.io/v1']);
const scopeOf = (apiVersion: string, kind: string): Scope | undefined =>
  KNOWN.has(apiVersion) ? (CLUSTER_KINDS.has(kind) ? 'Cluster' : 'Namespaced') : undefined;

function obj(apiVersion: string, kind: string, name: string, extra: { namespace?: string; wave?: number } = {}): KubernetesObject {
  return {
    apiVersion,
    kind,
    metadata: {
      name,
      ...(extra.namespace ? { namespace: extra.namespace } : {}),
      ...(extra.wave !== undefined ? { annotations: { 'flotilla.dev/wave': String(extra.wave) } } : {}),
    },
  };
}

const crd: KubernetesObject = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.com' },
  spec: { group: 'example.com', scope: 'Namespaced', names: { kind: 'Widget', plural: 'widgets' }, versions: [{ name: 'v1' }, { name: 'v2' }] },
} as KubernetesObject;

function plan(objects: KubernetesObject[], extra: Partial<PlanInput> = {}) {
  return planApply({ bundleName: 'shop', deploymentId: 'd-1', objects, inventory: [], scopeOf, ...extra });
}

const order = (p: ReturnType<typeof plan>) => p.steps.map((s) => `${s.kind}@${s.wave}: ${s.objects.map((o) => `${o.ref.kind}/${o.ref.name}`).join(',')}`);

describe('planApply ordering', () => {
  it('puts CRDs, then namespaces, then cluster-scoped, then namespaced objects', () => {
    const p = plan([
      obj('apps/v1', 'Deployment', 'web'),
      obj('example.com/v1', 'Widget', 'w'),
      obj('rbac.authorization.k8s.io/v1', 'ClusterRole', 'reader'),
      obj('v1', 'Namespace', 'shop'),
      crd,
      obj('v1', 'ConfigMap', 'cfg'),
    ]);
    expect(order(p)).toEqual([
      'crds@0: CustomResourceDefinition/widgets.example.com',
      'namespaces@0: Namespace/shop',
      'cluster-scoped@0: ClusterRole/reader',
      'namespaced@0: ConfigMap/cfg,Deployment/web,Widget/w',
    ]);
    expect(p.steps[0]?.waitForEstablished).toBe(true);
    expect(p.refused).toEqual([]);
  });

  it('orders waves lower first, cluster-scoped before namespaced within a wave, CRDs and namespaces always first', () => {
    const p = plan([
      obj('v1', 'ConfigMap', 'late', { wave: 5 }),
      obj('v1', 'ConfigMap', 'early', { wave: -1 }),
      obj('v1', 'Namespace', 'ns-late', { wave: 9 }),
      obj('scheduling.k8s.io/v1', 'PriorityClass', 'high', { wave: 5 }),
      obj('apps/v1', 'Deployment', 'web'),
      { ...crd, metadata: { name: crd.metadata!.name!, annotations: { 'flotilla.dev/wave': '3' } } },
    ]);
    expect(order(p)).toEqual([
      'crds@0: CustomResourceDefinition/widgets.example.com',
      'namespaces@0: Namespace/ns-late',
      'namespaced@-1: ConfigMap/early',
      'namespaced@0: Deployment/web',
      'cluster-scoped@5: PriorityClass/high',
      'namespaced@5: ConfigMap/late',
    ]);
  });

  it('knows kinds of CRDs in the same revision, at every version they serve', () => {
    const p = plan([obj('example.com/v2', 'Widget', 'w'), crd]);
    expect(p.refused).toEqual([]);
    expect(p.steps[1]?.objects[0]?.ref).toEqual({ apiVersion: 'example.com/v2', kind: 'Widget', namespace: 'default', name: 'w' });
  });
});

describe('planApply objects', () => {
  it('defaults the namespace of namespaced objects and drops it from cluster-scoped ones', () => {
    const p = plan([obj('v1', 'ConfigMap', 'a'), obj('v1', 'ConfigMap', 'b', { namespace: 'other' }), obj('v1', 'Namespace', 'x', { namespace: 'junk' })], {
      defaultNamespace: 'shop',
    });
    const refs = p.steps.flatMap((s) => s.objects.map((o) => `${o.ref.kind}/${o.ref.namespace}/${o.ref.name}`));
    expect(refs).toEqual(['Namespace//x', 'ConfigMap/other/b', 'ConfigMap/shop/a']);
    expect(p.steps[0]?.objects[0]?.object.metadata?.namespace).toBeUndefined();
  });

  it("forces every namespaced object into the bundle's namespace (fleet.yaml namespace) and refuses cluster-scoped ones", () => {
    const p = plan([obj('v1', 'ConfigMap', 'a', { namespace: 'elsewhere' }), obj('v1', 'ConfigMap', 'b'), obj('rbac.authorization.k8s.io/v1', 'ClusterRole', 'reader')], {
      defaultNamespace: 'forced',
      forceNamespace: true,
    });
    const applied = p.steps.flatMap((s) => s.objects);
    expect(applied.map((o) => [o.ref.name, o.ref.namespace, o.object.metadata?.namespace])).toEqual([
      ['a', 'forced', 'forced'],
      ['b', 'forced', 'forced'],
    ]);
    expect(p.refused).toEqual([expect.objectContaining({ reason: 'NamespaceNotAllowed', message: expect.stringContaining('ClusterRole reader is cluster-scoped; the bundle\'s namespace is forced to forced') })]);
    // Without forcing, a namespace an object names is kept.
    expect(plan([obj('v1', 'ConfigMap', 'a', { namespace: 'elsewhere' })], { defaultNamespace: 'forced' }).steps[0]!.objects[0]!.ref.namespace).toBe('elsewhere');
  });

  it('labels each object with its bundle and annotates the deployment, dropping server-managed metadata', () => {
    const source = obj('v1', 'ConfigMap', 'a');
    source.metadata = { ...source.metadata, labels: { app: 'x' }, resourceVersion: '12', uid: 'u' };
    const planned = plan([source]).steps[0]!.objects[0]!.object;
    expect(planned.metadata).toEqual({
      name: 'a',
      namespace: 'default',
      labels: { app: 'x', 'flotilla.dev/bundle': 'shop' },
      annotations: { 'flotilla.dev/deployment-id': 'd-1' },
    });
    expect(source.metadata.labels).toEqual({ app: 'x' }); // input untouched
  });

  it('refuses unknown kinds but plans the rest', () => {
    const p = plan([obj('nope.example.com/v1', 'Gadget', 'g'), obj('v1', 'ConfigMap', 'a')]);
    expect(p.refused).toMatchObject([{ reason: 'ApplyFailed', message: expect.stringMatching(/no kind Gadget in nope.example.com\/v1/) }]);
    expect(order(p)).toEqual(['namespaced@0: ConfigMap/a']);
  });

  it('refuses cluster-scoped objects and foreign namespaces in namespaced mode', () => {
    const p = plan([obj('v1', 'Namespace', 'x'), obj('v1', 'ConfigMap', 'a', { namespace: 'team-a' }), obj('v1', 'ConfigMap', 'b', { namespace: 'team-b' })], {
      allowedNamespaces: ['team-a'],
    });
    expect(p.refused.map((r) => [r.reason, r.ref.name])).toEqual([
      ['NamespaceNotAllowed', 'x'],
      ['NamespaceNotAllowed', 'b'],
    ]);
    expect(p.refused[1]?.message).toMatch(/namespace team-b .* not one of FLOTILLA_NAMESPACES \(team-a\)/);
    expect(order(p)).toEqual(['namespaced@0: ConfigMap/a']);
  });
});

describe('planApply deletions', () => {
  it('deletes what left the revision: namespaced first, CRDs last, ignoring apiVersion changes', () => {
    const inventory = [
      { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', namespace: '', name: 'old.example.com' },
      { apiVersion: 'v1', kind: 'Namespace', namespace: '', name: 'gone' },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', namespace: '', name: 'r' },
      { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'gone', name: 'c' },
      { apiVersion: 'apps/v1beta1', kind: 'Deployment', namespace: 'default', name: 'web' },
    ];
    const p = plan([obj('apps/v1', 'Deployment', 'web')], { inventory });
    expect(p.deletions.map((r) => `${r.kind}/${r.name}`)).toEqual(['ConfigMap/c', 'ClusterRole/r', 'Namespace/gone', 'CustomResourceDefinition/old.example.com']);
  });

  it('never deletes refused objects that are still in the revision', () => {
    const inventory = [{ apiVersion: 'nope.example.com/v1', kind: 'Gadget', namespace: '', name: 'g' }];
    expect(plan([obj('nope.example.com/v1', 'Gadget', 'g')], { inventory }).deletions).toEqual([]);
  });
});
