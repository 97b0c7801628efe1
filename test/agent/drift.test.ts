/**
 * Drift detection against a real API server (api-only cluster): objects the
 * agent applied with server-side apply show no drift (server defaults,
 * controller writes and other managers' extra fields included); a field we
 * apply changed by someone else is reported at its exact path; ignore rules
 * hide it; a deleted object is drift. Applies, reads and dry-runs go through
 * the agent's own client (KubeClient, Discovery, serverSideApply, driftApi),
 * as in the agent.
 */
import type { KubernetesObject } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Discovery, objectPath } from '../../agent/src/apply/discovery.ts';
import { detectDrift, type ComparePatch, type DryRunApplier } from '../../agent/src/drift/index.ts';
import type { KubeClient } from '../../agent/src/kube/kube-client.ts';
import { refOf } from '../../agent/src/kube/object-ref.ts';
import { serverSideApply } from '../../agent/src/kube/server-side-apply.ts';
import { driftApi } from '../../agent/src/reconcile/drift-api.ts';
import { startCluster, type Cluster } from '../clusters/index.ts';
import { eventually } from '../support/eventually.ts';
import { createNamespace, kubeFor, rand, read as readPath } from './agent-support.ts';

const rule = (fields: Partial<ComparePatch>): ComparePatch => ({ apiVersion: '', kind: '', namespace: '', name: '', jsonPointers: [], ...fields });

describe('drift detection on an api-only cluster', () => {
  let cluster: Cluster | undefined;
  let kube: KubeClient | undefined;
  let discovery: Discovery;
  /** What the agent runs drift dry-runs with. */
  let dryRun: DryRunApplier;
  let namespace: string;

  beforeAll(async () => {
    cluster = await startCluster();
    kube = await kubeFor(cluster);
    discovery = new Discovery(kube);
    dryRun = driftApi(kube, discovery);
    namespace = `drift-${rand()}`;
    await createNamespace(kube, namespace);
  }, 60 * 60_000);

  afterAll(async () => {
    kube?.close();
    await cluster?.stop();
  });

  /** REST path of an object, through the agent's discovery. */
  async function pathOf(obj: KubernetesObject): Promise<string> {
    const ref = refOf(obj);
    const info = await discovery.lookup(ref.apiVersion, ref.kind);
    if (!info) throw new Error(`the server does not serve ${ref.kind} in ${ref.apiVersion}`);
    return objectPath(ref, info);
  }

  /** Applies as the agent does: server-side apply, field manager flotilla-agent, forced. */
  const apply = async (obj: KubernetesObject) => serverSideApply<KubernetesObject>(kube!, await pathOf(obj), obj, { force: true });

  /** Another actor: a patch of `contentType` under its own field manager. */
  const patchAs = async (obj: KubernetesObject, manager: string, contentType: string, query: Record<string, boolean> = {}) =>
    kube!.request<KubernetesObject>('PATCH', await pathOf(obj), { query: { fieldManager: manager, ...query }, body: obj, contentType });
  /** A merge patch, what `kubectl edit` sends. */
  const mergePatch = (obj: KubernetesObject, manager: string) => patchAs(obj, manager, 'application/merge-patch+json');
  /** A forced server-side apply under another manager. */
  const applyAs = (obj: KubernetesObject, manager: string) => patchAs(obj, manager, 'application/apply-patch+yaml', { force: true });

  /** The live object as plain JSON; undefined when it does not exist. */
  const read = async (obj: KubernetesObject): Promise<any> => readPath(kube!, await pathOf(obj));
  const remove = async (obj: KubernetesObject) => kube!.request('DELETE', await pathOf(obj));

  /**
   * Drift as the agent's controller establishes it: a drift found against a
   * live copy that is older than the object the dry-run merged into (the
   * Deployment controller writes its annotations at any time) is checked
   * again against a fresh read (DeploymentController.check).
   */
  const drift = async (desired: KubernetesObject, rules: ComparePatch[] = []) => {
    for (let attempt = 1; ; attempt++) {
      const live = await read(desired);
      const result = await detectDrift(dryRun, desired, live, rules);
      const fresh = result.drifted && live ? await read(desired) : live;
      if (fresh?.metadata?.resourceVersion === live?.metadata?.resourceVersion || attempt === 5) return result;
    }
  };

  const configMap = (name: string) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace, labels: { app: 'shop' } },
    data: { key: 'applied', other: 'kept' },
  });

  const deployment = (name: string) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'web', image: 'registry.k8s.io/pause:3.10', ports: [{ containerPort: 8080 }] }] },
      },
    },
  });

  it('finds no drift right after apply, on a ConfigMap and on a Deployment full of server defaults', async () => {
    const cm = configMap(`cm-${rand()}`);
    const deploy = deployment(`web-${rand()}`);
    await apply(cm);
    await apply(deploy);
    expect(await drift(cm)).toEqual({ drifted: false, diffs: [] });
    // (The Deployment is compared once its controller has settled: a copy read while the controller writes its
    // revision annotation is older than what the dry-run sees; the agent re-reads in that case.)
    // The live Deployment does carry defaults the manifest never set…
    const live = await read(deploy);
    expect(live.spec.strategy.type).toBe('RollingUpdate');
    expect(live.spec.template.spec.containers[0].terminationMessagePath).toBe('/dev/termination-log');
    // …and after the deployment controller has written its status and revision annotation, still no drift.
    await eventually(async () => {
      const d = await read(deploy);
      expect(d.status?.observedGeneration).toBe(1);
      expect(d.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('1');
    });
    expect(await drift(deploy)).toEqual({ drifted: false, diffs: [] });
  });

  it('reports data.key changed by a merge patch from another manager, at its exact path', async () => {
    const cm = configMap(`cm-${rand()}`);
    await apply(cm);
    await mergePatch({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: cm.metadata.name, namespace }, data: { key: 'edited' } } as KubernetesObject, 'kubectl-edit');
    expect(await drift(cm)).toEqual({ drifted: true, diffs: [{ path: '/data/key', desired: '"applied"', live: '"edited"' }] });
    // Re-applying (what correct-drift does) takes the field back.
    await apply(cm);
    expect((await drift(cm)).drifted).toBe(false);
  });

  it('reports spec.replicas taken over by another manager with server-side apply, and honours an ignore rule on it', async () => {
    const deploy = deployment(`web-${rand()}`);
    await apply(deploy);
    const scale = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: deploy.metadata.name, namespace }, spec: { replicas: 5 } };
    await applyAs(scale as KubernetesObject, 'kubectl');
    // The Deployment controller annotates the object meanwhile; a live copy read before that is stale, so retry
    // until read and dry-run see the same version (the agent's controller re-reads the same way).
    await eventually(async () => expect(await drift(deploy)).toEqual({ drifted: true, diffs: [{ path: '/spec/replicas', desired: '2', live: '5' }] }));

    const ignoreReplicas = rule({ apiVersion: 'apps/v1', kind: 'Deployment', jsonPointers: ['/spec/replicas'] });
    expect(await drift(deploy, [ignoreReplicas])).toEqual({ drifted: false, diffs: [] });
    // A rule for another object does not hide it.
    expect((await drift(deploy, [{ ...ignoreReplicas, name: 'someone-else' }])).drifted).toBe(true);
  });

  it('reports a changed container image inside the pod template', async () => {
    const deploy = deployment(`web-${rand()}`);
    await apply(deploy);
    // What `kubectl set image` sends: a strategic merge patch, containers merged by name.
    const setImage = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: deploy.metadata.name, namespace },
      spec: { template: { spec: { containers: [{ name: 'web', image: 'registry.k8s.io/pause:3.9' }] } } },
    };
    await patchAs(setImage, 'kubectl-set', 'application/strategic-merge-patch+json');
    await eventually(async () =>
      expect((await drift(deploy)).diffs).toEqual([
        { path: '/spec/template/spec/containers/0/image', desired: '"registry.k8s.io/pause:3.10"', live: '"registry.k8s.io/pause:3.9"' },
      ]),
    );
  });

  it('ignores fields it does not set: a label and an annotation added by another manager', async () => {
    const cm = configMap(`cm-${rand()}`);
    await apply(cm);
    const extra = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: cm.metadata.name, namespace, labels: { team: 'payments' }, annotations: { 'example.com/note': 'hi' } },
      data: { added: 'by someone else' },
    };
    await mergePatch(extra as KubernetesObject, 'kubectl-label');
    const live = await read(cm);
    expect(live.metadata.labels).toEqual({ app: 'shop', team: 'payments' });
    expect(await drift(cm)).toEqual({ drifted: false, diffs: [] });
  });

  it('reports a field the agent owns that someone removed', async () => {
    const cm = configMap(`cm-${rand()}`);
    await apply(cm);
    await mergePatch({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: cm.metadata.name, namespace, labels: { app: null } } } as unknown as KubernetesObject, 'kubectl-edit');
    expect((await drift(cm)).diffs).toEqual([{ path: '/metadata/labels', desired: '{"app":"shop"}', live: '' }]);
  });

  it('reports a deleted object as drift at the root', async () => {
    const cm = configMap(`cm-${rand()}`);
    await apply(cm);
    await remove(cm);
    expect(await read(cm)).toBeUndefined();
    const result = await drift(cm, [rule({ jsonPointers: ['/data'] })]);
    expect(result.drifted).toBe(true);
    expect(result.diffs).toHaveLength(1);
    expect(result.diffs[0]?.path).toBe('');
    expect(result.diffs[0]?.live).toBe('');
    expect(JSON.parse(result.diffs[0]?.desired ?? '')).toEqual(cm);
  });

  it('keeps CRD schema fields such as x-kubernetes-preserve-unknown-fields and finds no drift', async () => {
    const group = `d${rand()}.example.com`;
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: `widgets.${group}` },
      spec: {
        group,
        names: { kind: 'Widget', listKind: 'WidgetList', plural: 'widgets', singular: 'widget' },
        scope: 'Namespaced',
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } } },
          },
        ],
      },
    };
    await apply(crd);
    try {
      const live = await read(crd);
      expect(live.spec.versions[0].schema.openAPIV3Schema.properties.spec['x-kubernetes-preserve-unknown-fields']).toBe(true);
      expect(await drift(crd)).toEqual({ drifted: false, diffs: [] });
    } finally {
      await remove(crd);
    }
  });
});
