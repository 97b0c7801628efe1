/**
 * The api-only profile (etcd + kube-apiserver + kube-controller-manager):
 * server-side apply with a field manager, dryRun=All that persists nothing,
 * garbage collection and namespace finalisation.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { CoreV1Api, KubeConfig, KubernetesObjectApi, PatchStrategy, type V1ConfigMap } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.ts';
import { CLUSTER_TOOLS, ensureTools, processesMentioning, startCluster, type Cluster } from './index.ts';
import { isNotFound } from './test-helpers.ts';

const TEST_TIMEOUT = 120_000;
const rand = (): string => randomBytes(4).toString('hex');

describe('api-only profile', () => {
  let cluster: Cluster | undefined;
  let kc: KubeConfig;
  let core: CoreV1Api;
  let objects: KubernetesObjectApi;
  let namespace: string;

  beforeAll(async () => {
    await ensureTools(CLUSTER_TOOLS['api-only']);
    cluster = await startCluster();
    kc = new KubeConfig();
    kc.loadFromString(cluster.kubeconfig);
    core = kc.makeApiClient(CoreV1Api);
    objects = KubernetesObjectApi.makeApiClient(kc);
    namespace = `ns-${rand()}`;
    await core.createNamespace({ body: { metadata: { name: namespace } } });
  }, 60 * 60_000);

  afterAll(async () => {
    const dir = cluster?.dir;
    await cluster?.stop();
    if (dir) {
      expect(fs.existsSync(dir)).toBe(false);
      expect(processesMentioning(dir)).toEqual([]);
    }
  }, TEST_TIMEOUT);

  it('has no scheduler or kwok, and a working admin kubeconfig file', () => {
    expect(cluster?.profile).toBe('api-only');
    expect(cluster?.processes.map((p) => p.component).sort()).toEqual(['etcd', 'kube-apiserver', 'kube-controller-manager']);
    const fromFile = new KubeConfig();
    fromFile.loadFromFile(cluster?.kubeconfigPath ?? '');
    expect(fromFile.getCurrentCluster()?.server).toBe(cluster?.server);
  }, TEST_TIMEOUT);

  it('applies server-side with a field manager', async () => {
    const name = `cm-${rand()}`;
    const body: V1ConfigMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data: { color: 'blue' } };
    const applied = await objects.patch(body, undefined, undefined, 'flotilla-test', true, PatchStrategy.ServerSideApply);
    expect(applied.data).toEqual({ color: 'blue' });

    const read = await core.readNamespacedConfigMap({ name, namespace });
    const entry = read.metadata?.managedFields?.find((f) => f.manager === 'flotilla-test');
    expect(entry?.operation).toBe('Apply');
    expect(JSON.stringify(entry?.fieldsV1)).toContain('f:color');

    // A second manager taking the same field conflicts unless forced.
    const other: V1ConfigMap = { ...body, data: { color: 'red' } };
    await expect(objects.patch(other, undefined, undefined, 'someone-else', false, PatchStrategy.ServerSideApply)).rejects.toMatchObject({
      code: 409,
    });
  }, TEST_TIMEOUT);

  it('dryRun=All validates but persists nothing', async () => {
    const name = `cm-${rand()}`;
    const body: V1ConfigMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data: { a: '1' } };
    const dry = await objects.patch(body, undefined, 'All', 'flotilla-test', true, PatchStrategy.ServerSideApply);
    expect(dry.metadata?.name).toBe(name);
    expect(dry.data).toEqual({ a: '1' });
    await expect(core.readNamespacedConfigMap({ name, namespace })).rejects.toSatisfy(isNotFound);

    // On an existing object a dry-run change is returned, not stored.
    await objects.patch(body, undefined, undefined, 'flotilla-test', true, PatchStrategy.ServerSideApply);
    const changed = await objects.patch(
      { ...body, data: { a: '2' } },
      undefined,
      'All',
      'flotilla-test',
      true,
      PatchStrategy.ServerSideApply,
    );
    expect(changed.data).toEqual({ a: '2' });
    expect((await core.readNamespacedConfigMap({ name, namespace })).data).toEqual({ a: '1' });
  }, TEST_TIMEOUT);

  it('garbage-collects dependents of a deleted owner', async () => {
    const owner = await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: `owner-${rand()}` } } });
    const dependentName = `dep-${rand()}`;
    await core.createNamespacedConfigMap({
      namespace,
      body: {
        metadata: {
          name: dependentName,
          ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: owner.metadata?.name ?? '', uid: owner.metadata?.uid ?? '' }],
        },
      },
    });
    await core.deleteNamespacedConfigMap({ name: owner.metadata?.name ?? '', namespace, propagationPolicy: 'Background' });
    await eventually(
      async () => {
        await expect(core.readNamespacedConfigMap({ name: dependentName, namespace })).rejects.toSatisfy(isNotFound);
      },
      { timeoutMs: 60_000, description: 'dependent garbage-collected' },
    );
  }, TEST_TIMEOUT);

  it('finalises a deleted namespace with content', async () => {
    const ns = `ns-${rand()}`;
    await core.createNamespace({ body: { metadata: { name: ns } } });
    // The controller-manager's service-account controller fills new namespaces.
    await eventually(() => core.readNamespacedServiceAccount({ name: 'default', namespace: ns }), { timeoutMs: 60_000 });
    await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'content' } } });
    await core.deleteNamespace({ name: ns });
    await eventually(
      async () => {
        await expect(core.readNamespace({ name: ns })).rejects.toSatisfy(isNotFound);
      },
      { timeoutMs: 60_000, description: `namespace ${ns} gone` },
    );
  }, TEST_TIMEOUT);
});
