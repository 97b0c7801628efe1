/**
 * Helm and Argo CD hooks against a real workloads cluster (kwok completes the
 * pods of Jobs, kube-controller-manager completes the Jobs): PreSync hooks
 * complete before the main objects are applied, main objects go in their
 * sync waves with the Sync hooks of each wave between them, PostSync hooks
 * come last and only once the main objects are healthy; test hooks are never
 * created; hook-succeeded deletes the Job; generateName hooks get a new name
 * each run; a failing or hanging PreSync hook fails the deployment with
 * HookFailed and leaves the main objects unapplied; removing a bundle runs
 * its PreDelete hooks before deleting its objects and its PostDelete hooks
 * after.
 * Calls the agent's reconcile and removal steps directly (no hub).
 */
import { DeploymentOptions, type DeploymentAssignment } from '@flotilla/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeClient } from '../../agent/src/kube/kube-client.ts';
import { reconcileRevision } from '../../agent/src/reconcile/reconcile.ts';
import { removeDeployment } from '../../agent/src/reconcile/remove-deployment.ts';
import { CLUSTER_TOOLS, ensureTools, startClusters, type Cluster } from '../clusters/index.ts';
import { eventually } from '../support/eventually.ts';
import { agentContext, configMap, createNamespace, kubeFor, rand, read, storeRevision } from './agent-support.ts';

const job = (name: string, annotations: Record<string, string>, podSpec: Record<string, unknown> = {}) => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name, annotations },
  spec: {
    backoffLimit: 0,
    template: { spec: { restartPolicy: 'Never', containers: [{ name: 'run', image: 'registry.k8s.io/pause:3.10' }], ...podSpec } },
  },
});
const deployment = (name: string, podSpec: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image: 'registry.k8s.io/pause:3.10' }], ...podSpec } },
  },
});
/** A pod no node accepts: its Job never completes. */
const unschedulable = { nodeSelector: { 'example.com/no-such-node': 'true' } };
const withAnnotations = <T extends { metadata: object }>(obj: T, annotations: Record<string, string>) => ({ ...obj, metadata: { ...obj.metadata, annotations } });

describe('agent hooks (workloads cluster)', () => {
  let cluster: Cluster | undefined;
  let kube: KubeClient;
  let agentNs: string;
  let ns: string;

  beforeAll(async () => {
    await ensureTools(CLUSTER_TOOLS.workloads);
    [cluster] = await startClusters(1, { workloads: true });
    kube = await kubeFor(cluster!);
    agentNs = `flotilla-${rand()}`;
    ns = `app-${rand()}`;
    await createNamespace(kube, agentNs);
    await createNamespace(kube, ns);
  }, 60 * 60_000);

  afterAll(async () => {
    kube?.close();
    await cluster?.stop();
  });

  async function apply(bundleName: string, objects: unknown[], hookTimeoutMs = 90_000, options: Partial<DeploymentOptions> = {}) {
    const ctx = agentContext(kube, agentNs, { hookTimeoutMs });
    const revision = await storeRevision(ctx.store, objects);
    const assignment: DeploymentAssignment = {
      deploymentId: `dep-${bundleName}`,
      bundleName,
      revision,
      contentSize: 0,
      options: DeploymentOptions.fromPartial({ defaultNamespace: ns, ...options }),
    };
    return reconcileRevision(ctx, assignment);
  }

  const cm = (name: string) => `/api/v1/namespaces/${ns}/configmaps/${name}`;
  const jobPath = (name: string) => `/apis/batch/v1/namespaces/${ns}/jobs/${name}`;
  const deploymentPath = (name: string) => `/apis/apps/v1/namespaces/${ns}/deployments/${name}`;
  const rv = (obj: { metadata: { resourceVersion: string } }) => Number(obj.metadata.resourceVersion);

  it('runs PreSync hooks to completion, then the main objects wave by wave, then PostSync hooks', async () => {
    const result = await apply(`hooks-${rand()}`, [
      withAnnotations(configMap('post', ns), { 'helm.sh/hook': 'post-install,post-upgrade' }),
      withAnnotations(configMap('late', ns), { 'argocd.argoproj.io/sync-wave': '1' }),
      configMap('early', ns),
      job('migrate', { 'helm.sh/hook': 'pre-install', 'helm.sh/hook-weight': '-5' }),
      job('cleanup', { 'helm.sh/hook': 'pre-install', 'helm.sh/hook-delete-policy': 'hook-succeeded' }),
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'smoke', annotations: { 'helm.sh/hook': 'test' } }, spec: { containers: [{ name: 't', image: 'x' }] } },
    ]);
    expect(result.failure).toBeUndefined();
    expect([...result.objectErrors.values()]).toEqual([]);

    const migrate = await read(kube, jobPath('migrate'));
    expect(migrate.status.conditions).toContainEqual(expect.objectContaining({ type: 'Complete', status: 'True' }));
    expect(migrate.metadata.annotations['flotilla.dev/hook']).toBe('PreSync');
    const [early, late, post] = await Promise.all([read(kube, cm('early')), read(kube, cm('late')), read(kube, cm('post'))]);
    // etcd revisions are one sequence: the completed Job's last write came before the first main object, and so on.
    expect(rv(migrate)).toBeLessThan(rv(early));
    expect(rv(early)).toBeLessThan(rv(late));
    expect(rv(late)).toBeLessThan(rv(post));

    expect(await read(kube, jobPath('cleanup'))).toBeUndefined(); // hook-succeeded
    expect(await read(kube, `/api/v1/namespaces/${ns}/pods/smoke`)).toBeUndefined(); // test hooks never run
    // Hooks are not inventoried (never pruned as objects of the bundle).
    expect(result.inventory.objects.map((o) => o.name).sort()).toEqual(['early', 'late']);
  }, 180_000);

  it('fails the deployment with HookFailed when a PreSync hook fails, applies no main object and runs SyncFail hooks', async () => {
    const main = `main-${rand()}`;
    const running = apply(`failing-${rand()}`, [
      configMap(main, ns),
      job('doomed', { 'argocd.argoproj.io/hook': 'PreSync' }, unschedulable),
      withAnnotations(configMap('on-fail', ns), { 'argocd.argoproj.io/hook': 'SyncFail' }),
    ]);
    // kwok only ever completes pods; fail the Job's pod as a crashing container would.
    await eventually(async () => {
      const pods = await kube.request('GET', `/api/v1/namespaces/${ns}/pods`, { query: { labelSelector: 'job-name=doomed' } });
      const pod = pods.items[0];
      expect(pod).toBeDefined();
      await kube.request('PATCH', `/api/v1/namespaces/${ns}/pods/${pod.metadata.name}/status`, {
        contentType: 'application/merge-patch+json',
        body: { status: { phase: 'Failed', containerStatuses: [{ name: 'run', image: 'x', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 3, reason: 'Error' } } }] } },
      });
    }, { timeoutMs: 60_000, description: 'hook pod failed' });
    const result = await running;
    expect(result.failure?.reason).toBe('HookFailed');
    expect(result.failure?.message).toMatch(new RegExp(`PreSync hook Job ${ns}/doomed failed: .*backoff`, 'i'));
    expect(await read(kube, cm(main))).toBeUndefined();
    expect(await read(kube, cm('on-fail'))).toBeDefined();
    expect(result.inventory.appliedRevision).toBe('');
  }, 180_000);

  it('fails a hook that does not complete in FLOTILLA_HOOK_TIMEOUT_SECONDS, and hook-failed deletes it', async () => {
    const main = `main-${rand()}`;
    const result = await apply(
      `slow-${rand()}`,
      [configMap(main, ns), job('stuck', { 'helm.sh/hook': 'pre-upgrade', 'helm.sh/hook-delete-policy': 'hook-failed' }, unschedulable)],
      3_000,
    );
    expect(result.failure?.reason).toBe('HookFailed');
    expect(result.failure?.message).toMatch(new RegExp(`PreSync hook Job ${ns}/stuck timed out after 3 s`));
    expect(await read(kube, cm(main))).toBeUndefined();
    const stuck = await read(kube, jobPath('stuck'));
    expect(stuck === undefined || stuck.metadata.deletionTimestamp !== undefined).toBe(true);
  }, 180_000);

  it('runs a Sync hook of wave 1 after the objects of wave 0 and before those of wave 2', async () => {
    const result = await apply(`sync-waves-${rand()}`, [
      withAnnotations(configMap('wave-2', ns), { 'argocd.argoproj.io/sync-wave': '2' }),
      job('sync-job', { 'argocd.argoproj.io/hook': 'Sync', 'argocd.argoproj.io/sync-wave': '1' }),
      withAnnotations(configMap('sync-cm', ns), { 'argocd.argoproj.io/hook': 'Sync', 'argocd.argoproj.io/sync-wave': '1' }),
      configMap('wave-0', ns),
    ]);
    expect(result.failure).toBeUndefined();
    const [wave0, syncCm, syncJob, wave2] = await Promise.all([read(kube, cm('wave-0')), read(kube, cm('sync-cm')), read(kube, jobPath('sync-job')), read(kube, cm('wave-2'))]);
    expect(syncJob.status.conditions).toContainEqual(expect.objectContaining({ type: 'Complete', status: 'True' }));
    expect(syncJob.metadata.annotations['flotilla.dev/hook']).toBe('Sync');
    // A ConfigMap is written once: its resourceVersion is its creation. The Job's is its completion.
    expect(rv(wave0)).toBeLessThan(rv(syncCm));
    expect(rv(syncCm)).toBeLessThan(rv(wave2));
    expect(Date.parse(syncJob.metadata.creationTimestamp)).toBeGreaterThanOrEqual(Date.parse(wave0.metadata.creationTimestamp));
    expect(rv(syncJob)).toBeLessThan(rv(wave2)); // completed before wave 2 was applied
    expect(result.inventory.objects.map((o) => o.name).sort()).toEqual(['wave-0', 'wave-2']);
  }, 180_000);

  it('runs PostSync hooks only once the main Deployment is available', async () => {
    const result = await apply(`post-health-${rand()}`, [deployment('web'), withAnnotations(configMap('after-web', ns), { 'argocd.argoproj.io/hook': 'PostSync' })]);
    expect(result.failure).toBeUndefined();
    const [web, after] = await Promise.all([read(kube, deploymentPath('web')), read(kube, cm('after-web'))]);
    expect(web.status.conditions).toContainEqual(expect.objectContaining({ type: 'Available', status: 'True' }));
    // The Deployment's last write (the controller's status saying it is available) came before the hook was created.
    expect(rv(web)).toBeLessThan(rv(after));
  }, 180_000);

  it('does not run PostSync hooks when a main Deployment does not become healthy: HookFailed naming it, SyncFail hooks run', async () => {
    const result = await apply(
      `post-unhealthy-${rand()}`,
      [
        deployment('stuck-web', unschedulable),
        withAnnotations(configMap('after-stuck', ns), { 'argocd.argoproj.io/hook': 'PostSync' }),
        withAnnotations(configMap('stuck-failed', ns), { 'argocd.argoproj.io/hook': 'SyncFail' }),
      ],
      3_000,
    );
    expect(result.failure?.reason).toBe('HookFailed');
    expect(result.failure?.message).toMatch(new RegExp(`PostSync hooks did not run: .* within 3 s: Deployment ${ns}/stuck-web \\(Progressing: `));
    expect(await read(kube, cm('after-stuck'))).toBeUndefined();
    expect(await read(kube, cm('stuck-failed'))).toBeDefined();
    expect(result.inventory.appliedKey).toBe('');
  }, 180_000);

  it('does not apply a later wave while an earlier one is not healthy (WaveNotHealthy)', async () => {
    const result = await apply(`wave-unhealthy-${rand()}`, [deployment('stuck-first', unschedulable), withAnnotations(configMap('second', ns), { 'argocd.argoproj.io/sync-wave': '1' })], 3_000);
    expect(result.failure?.reason).toBe('WaveNotHealthy');
    expect(result.failure?.message).toMatch(new RegExp(`wave 1 was not applied: objects of wave 0 did not become healthy within 3 s: Deployment ${ns}/stuck-first`));
    expect(await read(kube, cm('second'))).toBeUndefined();
  }, 180_000);

  it('leaves fleet.yaml ignore.conditions out of the health waits: an ignored Ready=False lets the next wave go', async () => {
    // A custom resource whose kind has no status subresource: the status in the manifest is what the API server
    // stores, so its Ready=False condition is real cluster state, read back by the agent's health checks.
    const withCustomResource = (group: string) => [
      {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: `gadgets.${group}` },
        spec: {
          group,
          scope: 'Namespaced',
          names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget' },
          versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
        },
      },
      { apiVersion: `${group}/v1`, kind: 'Gadget', metadata: { name: 'g' }, status: { conditions: [{ type: 'Ready', status: 'False', reason: 'WaitingForQuota' }] } },
      withAnnotations(configMap(`after-${group.split('.')[0]}`, ns), { 'argocd.argoproj.io/sync-wave': '1' }),
    ];
    const held = `held${rand()}.example.com`;
    const blocked = await apply(`ignore-none-${rand()}`, withCustomResource(held), 3_000);
    expect(blocked.failure?.reason).toBe('WaveNotHealthy');
    expect(blocked.failure?.message).toContain(`Gadget ${ns}/g`);
    expect(await read(kube, cm(`after-${held.split('.')[0]}`))).toBeUndefined();

    const ignored = `ignored${rand()}.example.com`;
    const passed = await apply(`ignore-ready-${rand()}`, withCustomResource(ignored), 3_000, { ignoreConditions: [{ fields: { type: 'Ready', status: 'False' } }] });
    expect(passed.failure).toBeUndefined();
    expect([...passed.objectErrors.values()]).toEqual([]);
    expect(await read(kube, cm(`after-${ignored.split('.')[0]}`))).toBeDefined();
    // The condition is still on the live object: it is left out of health only.
    const live = await kube.request<{ status: { conditions: { type: string }[] } }>('GET', `/apis/${ignored}/v1/namespaces/${ns}/gadgets/g`);
    expect(live.status.conditions.map((c) => c.type)).toEqual(['Ready']);
  }, 180_000);

  it('creates generateName hooks under the name the API server gives, and hook-succeeded deletes them once completed', async () => {
    const bundle = `generated-${rand()}`;
    const seen = new Set<string>();
    let polling = true;
    const poll = (async () => {
      while (polling) {
        const jobs = await kube.request('GET', `/apis/batch/v1/namespaces/${ns}/jobs`, { query: { labelSelector: `flotilla.dev/bundle=${bundle}` } });
        for (const j of jobs.items) seen.add(j.metadata.name);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    const generated = (kind: 'Job' | 'ConfigMap', generateName: string, annotations: Record<string, string>) => {
      const base = kind === 'Job' ? job('unused', annotations) : configMap('unused', ns);
      return { ...base, metadata: { generateName, annotations } };
    };
    const result = await apply(bundle, [
      configMap(`main-${bundle}`, ns),
      generated('Job', 'gen-migrate-', { 'helm.sh/hook': 'post-install', 'helm.sh/hook-delete-policy': 'hook-succeeded' }),
      generated('ConfigMap', 'gen-note-', { 'argocd.argoproj.io/hook': 'PostSync' }),
    ]);
    polling = false;
    await poll;
    expect(result.failure).toBeUndefined();
    const created = [...seen];
    expect(created).toHaveLength(1);
    expect(created[0]).toMatch(/^gen-migrate-[a-z0-9]{5}$/);
    const migrate = await read(kube, jobPath(created[0]!));
    expect(migrate === undefined || migrate.metadata.deletionTimestamp !== undefined).toBe(true); // hook-succeeded
    const notes = (await kube.request('GET', `/api/v1/namespaces/${ns}/configmaps`, { query: { labelSelector: `flotilla.dev/bundle=${bundle}` } })).items.filter(
      (c: { metadata: { name: string } }) => c.metadata.name.startsWith('gen-note-'),
    );
    expect(notes).toHaveLength(1);
    expect(notes[0].metadata.annotations['flotilla.dev/hook']).toBe('PostSync');
    expect(result.inventory.objects.map((o) => o.name)).toEqual([`main-${bundle}`]);
  }, 180_000);

  describe('a generateName hook of an earlier pass over the same revision (the agent restarted mid-hook, or retries)', () => {
    // A Pod hook no node accepts: it runs until the test says it succeeded.
    const hookPod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { generateName: 'gen-migrate-', annotations: { 'argocd.argoproj.io/hook': 'PreSync' } },
      spec: { restartPolicy: 'Never', containers: [{ name: 'run', image: 'registry.k8s.io/pause:3.10' }], ...unschedulable },
    };
    const pods = async (bundle: string) =>
      ((await kube.request('GET', `/api/v1/namespaces/${ns}/pods`, { query: { labelSelector: `flotilla.dev/bundle=${bundle}` } })).items as { metadata: { name: string } }[]).map((p) => p.metadata.name);
    const succeed = (pod: string) =>
      kube.request('PATCH', `/api/v1/namespaces/${ns}/pods/${pod}/status`, {
        contentType: 'application/merge-patch+json',
        body: { status: { phase: 'Succeeded', containerStatuses: [{ name: 'run', image: 'x', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } }] } },
      });
    /** A first pass that gives up on the hook after 3 s, leaving it running; its pod's name. */
    async function abandoned(bundle: string, objects: unknown[]): Promise<string> {
      const first = await apply(bundle, objects, 3_000);
      expect(first.failure?.message).toMatch(/PreSync hook Pod .*gen-migrate-[a-z0-9]{5} timed out after 3 s/);
      const started = await pods(bundle);
      expect(started).toHaveLength(1);
      return started[0]!;
    }

    it('still running: followed, not started a second time beside it', async () => {
      const bundle = `rerun-${rand()}`;
      const objects = [configMap(`main-${bundle}`, ns), hookPod];
      const started = await abandoned(bundle, objects);
      const second = apply(bundle, objects, 60_000);
      await new Promise((r) => setTimeout(r, 2000));
      expect(await pods(bundle)).toEqual([started]);
      await succeed(started);
      expect((await second).failure).toBeUndefined();
      expect(await pods(bundle)).toEqual([started]);
      expect(await read(kube, cm(`main-${bundle}`))).toBeDefined();
    }, 120_000);

    it('completed: run again, as an Argo CD retry does', async () => {
      const bundle = `retry-${rand()}`;
      const objects = [configMap(`main-${bundle}`, ns), hookPod];
      const started = await abandoned(bundle, objects);
      await succeed(started);
      expect((await apply(bundle, objects, 3_000)).failure?.reason).toBe('HookFailed'); // the new copy is unschedulable too
      const all = await pods(bundle);
      expect(all).toHaveLength(2);
      expect(all).toContain(started);
    }, 120_000);
  });

  describe('removing a bundle (PreDelete and PostDelete hooks, kept from its last revision)', () => {
    /** A Pod hook no node accepts: it runs until the test says it succeeded. */
    const hookPod = (name: string, annotations: Record<string, string>) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, annotations },
      spec: { restartPolicy: 'Never', containers: [{ name: 'run', image: 'registry.k8s.io/pause:3.10' }], ...unschedulable },
    });
    const pod = (name: string) => read(kube, `/api/v1/namespaces/${ns}/pods/${name}`);
    const gone = (obj: { metadata: { deletionTimestamp?: string } } | undefined) => obj === undefined || obj.metadata.deletionTimestamp !== undefined;
    const succeed = (name: string) =>
      kube.request('PATCH', `/api/v1/namespaces/${ns}/pods/${name}/status`, {
        contentType: 'application/merge-patch+json',
        body: { status: { phase: 'Succeeded', containerStatuses: [{ name: 'run', image: 'x', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } }] } },
      });
    const kept = (bundle: string) => read(kube, `/api/v1/namespaces/${agentNs}/secrets/flotilla-delete-hooks-${bundle}`);
    const inventory = (bundle: string) => read(kube, `/api/v1/namespaces/${agentNs}/configmaps/flotilla-inventory-${bundle}`);
    const remove = (bundle: string, hookTimeoutMs = 60_000) => removeDeployment(agentContext(kube, agentNs, { hookTimeoutMs }), bundle);

    it('runs the PreDelete hooks before it deletes the objects, the PostDelete hooks once they are gone; never in a sync', async () => {
      const bundle = `removed-${rand()}`;
      const [pre, post, main] = [`pre-${bundle}`, `post-${bundle}`, `main-${bundle}`];
      const applied = await apply(bundle, [
        configMap(main, ns),
        hookPod(pre, { 'helm.sh/hook': 'pre-delete', 'helm.sh/hook-delete-policy': 'before-hook-creation' }),
        hookPod(post, { 'argocd.argoproj.io/hook': 'PostDelete' }),
      ]);
      expect(applied.failure).toBeUndefined();
      expect(await pod(pre)).toBeUndefined();
      expect(await pod(post)).toBeUndefined();
      expect(await kept(bundle)).toBeDefined();
      expect(applied.inventory.objects.map((o) => o.name)).toEqual([main]);

      const removal = remove(bundle);
      await eventually(async () => expect(await pod(pre)).toBeDefined(), { timeoutMs: 30_000, description: 'PreDelete hook created' });
      await new Promise((r) => setTimeout(r, 1500));
      expect(await read(kube, cm(main))).toBeDefined(); // nothing deleted while the PreDelete hook runs
      expect(await pod(post)).toBeUndefined();
      await succeed(pre);
      await eventually(async () => expect(await pod(post)).toBeDefined(), { timeoutMs: 30_000, description: 'PostDelete hook created' });
      expect(gone(await read(kube, cm(main)))).toBe(true);
      await succeed(post);
      await removal;

      const preLive = await pod(pre);
      expect(preLive.metadata.annotations['flotilla.dev/hook']).toBe('PreDelete'); // before-hook-creation alone: kept, as Argo CD keeps it
      expect(gone(await pod(post))).toBe(true); // no policy: deleted once it succeeded
      expect(await kept(bundle)).toBeUndefined();
      expect(await inventory(bundle)).toBeUndefined();
    }, 180_000);

    it('deletes nothing while a PreDelete hook fails; the next removal runs it again and goes on', async () => {
      const bundle = `pre-fails-${rand()}`;
      const [pre, main] = [`pre-${bundle}`, `main-${bundle}`];
      expect((await apply(bundle, [configMap(main, ns), hookPod(pre, { 'argocd.argoproj.io/hook': 'PreDelete' })])).failure).toBeUndefined();

      await expect(remove(bundle, 3_000)).rejects.toMatchObject({
        reason: 'HookFailed',
        message: expect.stringMatching(new RegExp(`^removing bundle ${bundle}: PreDelete hook Pod ${ns}/${pre} timed out after 3 s: .*; its objects were not deleted, retrying at the next resync$`)),
      });
      expect(await read(kube, cm(main))).toBeDefined();
      expect(await inventory(bundle)).toBeDefined();
      const first = await pod(pre);

      const retry = remove(bundle);
      await eventually(async () => expect((await pod(pre))?.metadata.uid ?? first.metadata.uid).not.toBe(first.metadata.uid), {
        timeoutMs: 30_000,
        description: 'the timed out hook replaced by a new run',
      });
      await succeed(pre);
      await retry;
      expect(gone(await read(kube, cm(main)))).toBe(true);
      expect(gone(await pod(pre))).toBe(true);
      expect(await inventory(bundle)).toBeUndefined();
    }, 180_000);

    it('with keepResources runs no delete hook and deletes nothing', async () => {
      const bundle = `kept-${rand()}`;
      const [pre, main] = [`pre-${bundle}`, `main-${bundle}`];
      const applied = await apply(bundle, [configMap(main, ns), hookPod(pre, { 'helm.sh/hook': 'pre-delete' })], 60_000, { keepResources: true });
      expect(applied.failure).toBeUndefined();
      await remove(bundle);
      expect(await pod(pre)).toBeUndefined();
      expect(await read(kube, cm(main))).toBeDefined();
      expect(await kept(bundle)).toBeUndefined();
      expect(await inventory(bundle)).toBeUndefined();
    }, 120_000);
  });

  it('refuses a revision with an object that is not a hook and has only generateName', async () => {
    const revision = apply(`ungenerated-${rand()}`, [configMap('fine', ns), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'plain-' } }]);
    await expect(revision).rejects.toMatchObject({
      reason: 'ContentInvalid',
      message: expect.stringMatching(/object #1 \(ConfigMap\) has no metadata.name \(generateName is supported on hooks only: other objects need stable names to be tracked\)$/),
    });
    expect(await read(kube, cm('fine'))).toBeUndefined();
  }, 60_000);
});
