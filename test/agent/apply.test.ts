/**
 * Applying revisions against a real API server (api-only cluster, no hub):
 * CRDs with their custom resources, ownership between bundles, failed
 * revisions that leave the previous objects intact, prune, keepResources and
 * the empty-render guard. Calls the agent's reconcile step directly.
 */
import { DeploymentOptions, type DeploymentAssignment } from '@flotilla/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findForeignOwners } from '../../agent/src/apply/foreign-owners.ts';
import type { KubeClient } from '../../agent/src/kube/kube-client.ts';
import { reconcileRevision } from '../../agent/src/reconcile/reconcile.ts';
import { startCluster, type Cluster } from '../clusters/index.ts';
import { eventually } from '../support/eventually.ts';
import { agentContext, configMap, createNamespace, kubeFor, rand, read, storeRevision } from './agent-support.ts';

describe('agent apply (api-only cluster)', () => {
  let cluster: Cluster;
  let kube: KubeClient;
  let agentNs: string;
  let ns: string;
  let ctx: ReturnType<typeof agentContext>;

  beforeAll(async () => {
    cluster = await startCluster();
    kube = await kubeFor(cluster);
    agentNs = `flotilla-${rand()}`;
    ns = `app-${rand()}`;
    await createNamespace(kube, agentNs);
    await createNamespace(kube, ns);
    ctx = agentContext(kube, agentNs);
  });

  afterAll(async () => {
    kube?.close();
    await cluster?.stop();
  });

  async function apply(bundleName: string, objects: unknown[], options: Partial<DeploymentOptions> = {}) {
    const revision = await storeRevision(ctx.store, objects);
    const assignment: DeploymentAssignment = {
      deploymentId: `dep-${bundleName}`,
      bundleName,
      revision,
      contentSize: 0,
      options: DeploymentOptions.fromPartial({ ...options, comparePatches: options.comparePatches ?? [] }),
    };
    return { revision, result: await reconcileRevision(ctx, assignment) };
  }

  const cmPath = (name: string, namespace = ns) => `/api/v1/namespaces/${namespace}/configmaps/${name}`;

  it('applies a CRD and a custom resource of it in one revision', async () => {
    const group = `g${rand()}.example.com`;
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: `widgets.${group}` },
      spec: {
        group,
        scope: 'Namespaced',
        names: { kind: 'Widget', plural: 'widgets', singular: 'widget', listKind: 'WidgetList' },
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } } },
          },
        ],
      },
    };
    // The custom resource comes first in the content: the plan must still put the CRD first.
    const widget = { apiVersion: `${group}/v1`, kind: 'Widget', metadata: { name: 'w1' }, spec: { size: 3 } };
    const bundle = `crd-${rand()}`;
    const { revision, result } = await apply(bundle, [widget, crd], { defaultNamespace: ns });

    expect([...result.objectErrors.values()].map((e) => e.message)).toEqual([]);
    expect(result.failure).toBeUndefined();
    const live = await read(kube, `/apis/${group}/v1/namespaces/${ns}/widgets/w1`);
    expect(live.spec).toEqual({ size: 3 });
    expect(live.metadata.labels['flotilla.dev/bundle']).toBe(bundle);
    expect(live.metadata.annotations['flotilla.dev/deployment-id']).toBe(`dep-${bundle}`);
    expect(live.metadata.managedFields.map((f: { manager: string }) => f.manager)).toContain('flotilla-agent');
    expect(result.inventory.appliedRevision).toBe(revision);
    expect(result.inventory.objects.map((o) => o.kind).sort()).toEqual(['CustomResourceDefinition', 'Widget']);
    expect((await ctx.inventories.load(bundle))?.appliedRevision).toBe(revision);
  });

  it('never takes over an object that belongs to another bundle', async () => {
    const name = `shared-${rand()}`;
    const owner = `owner-${rand()}`;
    const other = `other-${rand()}`;
    await apply(owner, [configMap(name, ns, { from: 'owner' })]);
    const { result } = await apply(other, [configMap(name, ns, { from: 'other' }), configMap(`mine-${name}`, ns)]);

    const errors = [...result.objectErrors.values()];
    expect(errors.map((e) => e.reason)).toEqual(['OwnershipConflict']);
    expect(errors[0]?.message).toContain(`ConfigMap ${ns}/${name} already exists and belongs to bundle "${owner}"`);
    const live = await read(kube, cmPath(name));
    expect(live.data).toEqual({ from: 'owner' });
    expect(live.metadata.labels['flotilla.dev/bundle']).toBe(owner);
    // The rest of the revision was applied, but it does not count as applied.
    expect(await read(kube, cmPath(`mine-${name}`))).toBeDefined();
    expect(result.inventory.appliedRevision).toBe('');
  });

  it('finds objects of other bundles with one paginated LIST per kind and namespace, and isolates a failed list', async () => {
    const owner = `owner-${rand()}`;
    const mine = `mine-${rand()}`;
    const foreign = Array.from({ length: 5 }, (_, i) => `foreign-${i}`);
    await apply(owner, foreign.map((name) => configMap(name, ns)));
    await apply(mine, [configMap('ours', ns)]);
    await kube.request('POST', `/api/v1/namespaces/${ns}/configmaps`, { body: configMap('unlabelled', ns) });

    const cm = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns, name });
    const configMaps = { resource: 'configmaps', namespaced: true };
    const queries = [...foreign, 'ours', 'unlabelled', 'absent'].map((name) => ({ ref: cm(name), info: configMaps }));
    // A kind the server does not serve under that name: its list fails (404), the others do not.
    const broken = { ref: { apiVersion: 'v1', kind: 'Gizmo', namespace: ns, name: 'g' }, info: { resource: 'gizmos', namespaced: true } };
    const gets = kube.counts.GET ?? 0;
    const owners = await findForeignOwners(kube, mine, [...queries, broken], 2);

    // 5 foreign ConfigMaps at 2 per page = at least 3 pages, plus the failed Gizmo list; no GET per object.
    const lists = (kube.counts.GET ?? 0) - gets;
    expect(lists).toBeGreaterThanOrEqual(4);
    expect(lists).toBeLessThan(queries.length);
    for (const name of foreign) expect(owners.ownerOf(cm(name))).toBe(owner);
    expect(owners.ownerOf(cm('ours'))).toBeUndefined();
    expect(owners.ownerOf(cm('unlabelled'))).toBeUndefined();
    expect(owners.ownerOf(cm('absent'))).toBeUndefined();
    expect(() => owners.ownerOf(broken.ref)).toThrow('the server could not find the requested resource');
  });

  it('reports the API server message for an unknown kind or an invalid object, and keeps the previous objects', async () => {
    const bundle = `bad-${rand()}`;
    const first = await apply(bundle, [configMap('keep-me', ns), configMap('stays', ns)]);
    expect(first.result.objectErrors.size).toBe(0);

    const invalid = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: ns },
      spec: { replicas: 'three', selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [] } } },
    };
    const unknown = { apiVersion: 'nope.example.com/v1', kind: 'Gadget', metadata: { name: 'g', namespace: ns } };
    // A typo in a field name fails too (server-side apply builds a typed patch), instead of being dropped.
    const typo = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'typo', namespace: ns }, spec: { portz: [{ port: 80 }], ports: [{ port: 80 }] } };
    const second = await apply(bundle, [configMap('stays', ns, { changed: 'yes' }), invalid, unknown, typo]);

    const messages = Object.fromEntries([...second.result.objectErrors.entries()].map(([k, e]) => [k.split('/')[1], e.message]));
    expect(messages.Gadget).toMatch(/no kind Gadget in nope.example.com\/v1/);
    expect(messages.Deployment).toMatch(/Deployment .*web.*replicas/i);
    expect(messages.Service).toMatch(/^Service .*\/typo: .*\.spec\.portz: field not declared in schema/);
    // No prune on a failed revision: keep-me (not in the new revision) is still there.
    expect(await read(kube, cmPath('keep-me'))).toBeDefined();
    expect((await read(kube, cmPath('stays'))).data).toEqual({ changed: 'yes' });
    // The inventory is the union until a revision applies completely.
    const inventory = await ctx.inventories.load(bundle);
    expect(inventory?.appliedRevision).toBe(first.revision);
    expect(inventory?.objects.map((o) => o.name).sort()).toEqual(['g', 'keep-me', 'stays', 'typo', 'web']);
  });

  it('prunes objects that left the bundle, and keeps them with keepResources', async () => {
    const bundle = `prune-${rand()}`;
    await apply(bundle, [configMap('a', ns), configMap('b', ns), configMap('c', ns)].map((o) => ({ ...o, metadata: { ...o.metadata, name: `${bundle}-${o.metadata.name}` } })));
    const name = (n: string) => `${bundle}-${n}`;

    const pruned = await apply(bundle, [configMap(name('a'), ns), configMap(name('c'), ns)]);
    expect(pruned.result.failure).toBeUndefined();
    expect(await read(kube, cmPath(name('b')))).toBeUndefined();
    expect(pruned.result.inventory.objects.map((o) => o.name).sort()).toEqual([name('a'), name('c')]);

    const kept = await apply(bundle, [configMap(name('a'), ns)], { keepResources: true });
    expect(kept.result.failure).toBeUndefined();
    expect(await read(kube, cmPath(name('c')))).toBeDefined();
    expect(kept.result.inventory.objects.map((o) => o.name)).toEqual([name('a')]);
  });

  it('prunes the highest wave first, and the next wave only once the previous one is gone', async () => {
    const bundle = `prune-waves-${rand()}`;
    const name = (n: string) => `${bundle}-${n}`;
    const waved = (n: string, wave: number, finalizers?: string[]) => {
      const cm = configMap(name(n), ns);
      return { ...cm, metadata: { ...cm.metadata, annotations: { 'argocd.argoproj.io/sync-wave': String(wave) }, ...(finalizers ? { finalizers } : {}) } };
    };
    // The wave-2 object carries a finalizer: its deletion stays pending until the test removes it.
    expect((await apply(bundle, [configMap(name('keep'), ns), waved('db', 0), waved('web', 2, ['example.com/hold'])])).result.failure).toBeUndefined();
    const running = apply(bundle, [configMap(name('keep'), ns)]);
    await eventually(async () => expect((await read(kube, cmPath(name('web'))))?.metadata.deletionTimestamp).toBeDefined(), { timeoutMs: 30_000, description: 'web deleted' });
    await new Promise((r) => setTimeout(r, 1500));
    expect(await read(kube, cmPath(name('db'))), 'wave 0 waits while wave 2 is being deleted').toBeDefined();
    await kube.request('PATCH', cmPath(name('web')), { contentType: 'application/merge-patch+json', body: { metadata: { finalizers: null } } });
    const { result } = await running;
    expect(result.failure).toBeUndefined();
    expect(await read(kube, cmPath(name('web')))).toBeUndefined();
    expect(await read(kube, cmPath(name('db')))).toBeUndefined();
    expect(result.inventory.objects.map((o) => o.name)).toEqual([name('keep')]);
  });

  it('refuses an empty revision after a non-empty one unless allowEmpty', async () => {
    const bundle = `empty-${rand()}`;
    const first = await apply(bundle, [configMap(`${bundle}-x`, ns)]);

    await expect(apply(bundle, [])).rejects.toMatchObject({
      reason: 'EmptyRevisionRefused',
      message: expect.stringMatching(/has no objects while 1 are applied; nothing was changed or deleted.*allowEmpty/),
    });
    expect(await read(kube, cmPath(`${bundle}-x`))).toBeDefined();
    expect((await ctx.inventories.load(bundle))?.appliedRevision).toBe(first.revision);

    const allowed = await apply(bundle, [], { allowEmpty: true });
    expect(allowed.result.failure).toBeUndefined();
    expect(await read(kube, cmPath(`${bundle}-x`))).toBeUndefined();
    expect(allowed.result.inventory.objects).toEqual([]);
  });

  it('does not write anything when the revision is already applied', async () => {
    const bundle = `again-${rand()}`;
    const objects = [configMap(`${bundle}-1`, ns), configMap(`${bundle}-2`, ns)];
    await apply(bundle, objects);
    const before = await read(kube, cmPath(`${bundle}-1`));
    const patches = kube.counts.PATCH ?? 0;

    const again = await apply(bundle, objects);
    expect(again.result.upToDate).toBe(true);
    expect(kube.counts.PATCH ?? 0).toBe(patches);
    expect((await read(kube, cmPath(`${bundle}-1`))).metadata.resourceVersion).toBe(before.metadata.resourceVersion);
  });

  it('refuses cluster-scoped objects and other namespaces in namespaced mode', async () => {
    const bundle = `nsmode-${rand()}`;
    const scoped = agentContext(kube, agentNs, { allowedNamespaces: [ns] });
    const revision = await storeRevision(scoped.store, [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: `ns-${bundle}` } },
      configMap(`${bundle}-in`, ns),
      configMap(`${bundle}-out`, 'default'),
    ]);
    const result = await reconcileRevision(scoped, {
      deploymentId: 'd',
      bundleName: bundle,
      revision,
      contentSize: 0,
      options: undefined,
    });
    expect([...result.objectErrors.values()].map((e) => e.reason)).toEqual(['NamespaceNotAllowed', 'NamespaceNotAllowed']);
    expect(await read(kube, cmPath(`${bundle}-in`))).toBeDefined();
    expect(await read(kube, `/api/v1/namespaces/ns-${bundle}`)).toBeUndefined();
    expect(await read(kube, cmPath(`${bundle}-out`, 'default'))).toBeUndefined();
  });
});
