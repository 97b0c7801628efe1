/**
 * Drift detection against a real API server (api-only cluster): objects the
 * agent applied with server-side apply show no drift (server defaults,
 * controller writes and other managers' extra fields included); a field we
 * apply changed by someone else is reported at its exact path; ignore rules
 * hide it; a deleted object is drift.
 */
import { randomBytes } from 'node:crypto';
import { CoreV1Api, KubeConfig, KubernetesObjectApi, PatchStrategy, type KubernetesObject } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AGENT_FIELD_MANAGER,
  detectDrift,
  toClientObject,
  toWireObject,
  type ComparePatch,
} from '../../agent/src/drift/index.ts';
import { CLUSTER_TOOLS, ensureTools, startClusters, type Cluster } from '../clusters/index.ts';
import { eventually } from '../support/eventually.ts';

const rand = (): string => randomBytes(4).toString('hex');
const rule = (fields: Partial<ComparePatch>): ComparePatch => ({ apiVersion: '', kind: '', namespace: '', name: '', jsonPointers: [], ...fields });

describe('drift detection on an api-only cluster', () => {
  let cluster: Cluster | undefined;
  let objects: KubernetesObjectApi;
  let namespace: string;

  beforeAll(async () => {
    await ensureTools(CLUSTER_TOOLS['api-only']);
    [cluster] = await startClusters(1);
    const kc = new KubeConfig();
    kc.loadFromString(cluster!.kubeconfig);
    objects = KubernetesObjectApi.makeApiClient(kc);
    namespace = `drift-${rand()}`;
    await kc.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: namespace } } });
  }, 60 * 60_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  /** Applies as the agent does: server-side apply, field manager flotilla-agent, forced. */
  const apply = (obj: KubernetesObject) =>
    objects.patch(toClientObject(obj), undefined, undefined, AGENT_FIELD_MANAGER, true, PatchStrategy.ServerSideApply);

  /** Another actor: a merge patch (what `kubectl edit` sends) or a forced apply under its own manager. */
  const mergePatch = (obj: KubernetesObject, manager: string) =>
    objects.patch(obj, undefined, undefined, manager, undefined, PatchStrategy.MergePatch);
  const applyAs = (obj: KubernetesObject, manager: string) =>
    objects.patch(obj, undefined, undefined, manager, true, PatchStrategy.ServerSideApply);

  async function read(obj: KubernetesObject): Promise<KubernetesObject | undefined> {
    const header = { apiVersion: obj.apiVersion!, kind: obj.kind!, metadata: { name: obj.metadata!.name!, namespace: obj.metadata?.namespace } };
    return objects.read(header).catch((err: unknown) => {
      if ((err as { code?: unknown }).code === 404) return undefined;
      throw err;
    });
  }

  const drift = async (desired: KubernetesObject, rules: ComparePatch[] = []) => detectDrift(objects, desired, await read(desired), rules);

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
    expect(await drift(deploy)).toEqual({ drifted: false, diffs: [] });
    // The live Deployment does carry defaults the manifest never set…
    const live = toWireObject((await read(deploy))!) as any;
    expect(live.spec.strategy.type).toBe('RollingUpdate');
    expect(live.spec.template.spec.containers[0].terminationMessagePath).toBe('/dev/termination-log');
    // …and after the deployment controller has written its status and revision annotation, still no drift.
    await eventually(async () => {
      const d = toWireObject((await read(deploy))!) as any;
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
    expect(await drift(deploy)).toEqual({ drifted: true, diffs: [{ path: '/spec/replicas', desired: '2', live: '5' }] });

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
    await objects.patch(setImage as KubernetesObject, undefined, undefined, 'kubectl-set', undefined, PatchStrategy.StrategicMergePatch);
    expect((await drift(deploy)).diffs).toEqual([
      { path: '/spec/template/spec/containers/0/image', desired: '"registry.k8s.io/pause:3.10"', live: '"registry.k8s.io/pause:3.9"' },
    ]);
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
    const live = toWireObject((await read(cm))!) as any;
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
    await objects.delete(cm);
    const result = await drift(cm, [rule({ jsonPointers: ['/data'] })]);
    expect(result.drifted).toBe(true);
    expect(result.diffs).toHaveLength(1);
    expect(result.diffs[0]?.path).toBe('');
    expect(result.diffs[0]?.live).toBe('');
    expect(JSON.parse(result.diffs[0]?.desired ?? '')).toEqual(cm);
  });

  it('keeps CRD schema fields the client model renames (x-kubernetes-*) and finds no drift', async () => {
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
      const live = toWireObject((await read(crd))!) as any;
      expect(live.spec.versions[0].schema.openAPIV3Schema.properties.spec['x-kubernetes-preserve-unknown-fields']).toBe(true);
      expect(await drift(crd)).toEqual({ drifted: false, diffs: [] });
    } finally {
      await objects.delete(crd);
    }
  });
});
