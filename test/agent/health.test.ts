/**
 * Health assessment against a real workloads cluster (kwok fake node): a
 * Deployment goes Progressing → Healthy, a Deployment that cannot make progress
 * turns Degraded at its deadline, a Job completes (kwok's pod-complete stage
 * finishes pods owned by Jobs) and a CRD becomes Established.
 */
import { randomBytes } from 'node:crypto';
import {
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
  type KubernetesObject,
  type V1Deployment,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assessHealth, type HealthStatus } from '../../agent/src/health/index.ts';
import { CLUSTER_TOOLS, ensureTools, startClusters, type Cluster } from '../clusters/index.ts';
import { eventually } from '../support/eventually.ts';

const rand = (): string => randomBytes(4).toString('hex');

describe('health assessment on a workloads cluster', () => {
  let cluster: Cluster | undefined;
  let objects: KubernetesObjectApi;
  let apps: AppsV1Api;
  let namespace: string;

  beforeAll(async () => {
    await ensureTools(CLUSTER_TOOLS.workloads);
    [cluster] = await startClusters(1, { workloads: true });
    const kc = new KubeConfig();
    kc.loadFromString(cluster!.kubeconfig);
    objects = KubernetesObjectApi.makeApiClient(kc);
    apps = kc.makeApiClient(AppsV1Api);
    namespace = `health-${rand()}`;
    await kc.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: namespace } } });
  }, 60 * 60_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  /** Reads the live object and assesses it, remembering every status seen along the way. */
  async function watchHealth(obj: KubernetesObject, seen: HealthStatus[]) {
    const live = await objects.read({
      apiVersion: obj.apiVersion!,
      kind: obj.kind!,
      metadata: { name: obj.metadata!.name!, namespace: obj.metadata?.namespace },
    });
    const result = assessHealth(live);
    if (seen.at(-1) !== result.status) seen.push(result.status);
    return result;
  }

  function deployment(name: string, spec: Partial<NonNullable<V1Deployment['spec']>> = {}): V1Deployment {
    return {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels: { app: name } },
          spec: { containers: [{ name: 'web', image: 'registry.k8s.io/pause:3.10' }] },
        },
        ...spec,
      },
    };
  }

  it('sees a Deployment go from Progressing to Healthy', async () => {
    const created = await apps.createNamespacedDeployment({ namespace, body: deployment('web') });
    // As created: no status yet, so the controller has not observed it.
    expect(assessHealth(created).status).toBe('Progressing');
    const seen: HealthStatus[] = ['Progressing'];
    await eventually(async () => expect((await watchHealth(created, seen)).status).toBe('Healthy'), {
      timeoutMs: 90_000,
      description: 'deployment healthy',
    });
    expect(seen[0]).toBe('Progressing');
    expect(seen.at(-1)).toBe('Healthy');
    expect(seen).not.toContain('Degraded');
  });

  it('sees a Deployment that cannot schedule its pods turn Degraded at its progress deadline', async () => {
    const stuck = deployment('stuck', {
      replicas: 1,
      progressDeadlineSeconds: 2,
      template: {
        metadata: { labels: { app: 'stuck' } },
        spec: {
          nodeSelector: { 'example.com/no-such-node': 'true' },
          containers: [{ name: 'web', image: 'registry.k8s.io/pause:3.10' }],
        },
      },
    });
    const created = await apps.createNamespacedDeployment({ namespace, body: stuck });
    const seen: HealthStatus[] = [];
    const result = await eventually(
      async () => {
        const r = await watchHealth(created, seen);
        expect(r.status).toBe('Degraded');
        return r;
      },
      { timeoutMs: 90_000, description: 'deployment degraded' },
    );
    expect(result.message).toMatch(/progressing|deadline/i);
    expect(seen[0]).toBe('Progressing');
  });

  it('sees a paused Deployment as Suspended', async () => {
    const created = await apps.createNamespacedDeployment({ namespace, body: deployment('paused', { paused: true }) });
    await eventually(async () => expect((await watchHealth(created, [])).status).toBe('Suspended'));
  });

  it('sees a Job go from Progressing to Healthy once kwok completes its pod', async () => {
    const job = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'once', namespace },
      spec: {
        backoffLimit: 0,
        template: { spec: { restartPolicy: 'Never', containers: [{ name: 'run', image: 'registry.k8s.io/pause:3.10' }] } },
      },
    };
    const created = await objects.create(job);
    expect(assessHealth(created).status).toBe('Progressing');
    const seen: HealthStatus[] = ['Progressing'];
    await eventually(async () => expect((await watchHealth(created, seen)).status).toBe('Healthy'), {
      timeoutMs: 90_000,
      description: 'job complete',
    });
    expect(seen).toEqual(['Progressing', 'Healthy']);
  });

  it('sees a CRD become Healthy once Established', async () => {
    const group = `h${rand()}.example.com`;
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
            schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } } },
          },
        ],
      },
    };
    const created = await objects.create(crd);
    try {
      await eventually(async () => expect((await watchHealth(created, [])).status).toBe('Healthy'), {
        timeoutMs: 60_000,
        description: 'crd established',
      });
    } finally {
      await objects.delete(created);
    }
  });

  it('sees a ConfigMap as Healthy and a deleted one as Missing', async () => {
    const cm = await objects.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace }, data: { a: '1' } });
    expect(assessHealth(cm).status).toBe('Healthy');
    await objects.delete(cm);
    const live = await objects.read({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace } }).catch((err: unknown) => {
      if ((err as { code?: unknown }).code === 404) return undefined;
      throw err;
    });
    expect(assessHealth(live).status).toBe('Missing');
  });
});
