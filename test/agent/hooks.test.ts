/**
 * Helm and Argo CD hooks against a real workloads cluster (kwok completes the
 * pods of Jobs, kube-controller-manager completes the Jobs): PreSync hooks
 * complete before the main objects are applied, main objects go in their
 * sync waves, PostSync hooks come last; test hooks are never created;
 * hook-succeeded deletes the Job; a failing or hanging PreSync hook fails the
 * deployment with HookFailed and leaves the main objects unapplied.
 * Calls the agent's reconcile step directly (no hub).
 */
import { DeploymentOptions, type DeploymentAssignment } from '@flotilla/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeClient } from '../../agent/src/kube/kube-client.ts';
import { reconcileRevision } from '../../agent/src/reconcile/reconcile.ts';
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

  async function apply(bundleName: string, objects: unknown[], hookTimeoutMs = 90_000) {
    const ctx = agentContext(kube, agentNs, { hookTimeoutMs });
    const revision = await storeRevision(ctx.store, objects);
    const assignment: DeploymentAssignment = {
      deploymentId: `dep-${bundleName}`,
      bundleName,
      revision,
      contentSize: 0,
      options: DeploymentOptions.fromPartial({ defaultNamespace: ns }),
    };
    return reconcileRevision(ctx, assignment);
  }

  const cm = (name: string) => `/api/v1/namespaces/${ns}/configmaps/${name}`;
  const jobPath = (name: string) => `/apis/batch/v1/namespaces/${ns}/jobs/${name}`;
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
});
