import type { KubernetesObject } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { KubeApiError } from '../../kube/kube-api-error.js';
import type { KubeClient } from '../../kube/kube-client.js';
import type { PlannedObject } from '../../plan/plan.js';
import { Discovery } from '../discovery.js';
import { HealthWaiter } from './health.waiter.js';

const deployment = (name: string, available: number): KubernetesObject =>
  ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'shop', generation: 1 },
    spec: { replicas: 1 },
    status: { observedGeneration: 1, replicas: 1, updatedReplicas: 1, availableReplicas: available },
  }) as KubernetesObject;
const planned = (name: string): PlannedObject => ({ ref: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name }, key: name, wave: 0, object: deployment(name, 0) });

/** A cluster serving Deployments whose live state `live(name, reads)` answers; records GETs of objects. */
function fakeKube(live: (name: string, reads: number) => KubernetesObject | undefined) {
  const reads: string[] = [];
  const kube: KubeClient = {
    async request<T>(_method: string, path: string): Promise<T> {
      if (path === '/apis/apps/v1') return { resources: [{ name: 'deployments', kind: 'Deployment', namespaced: true }] } as T;
      const name = path.split('/').pop()!;
      reads.push(name);
      const obj = live(name, reads.filter((r) => r === name).length);
      if (!obj) throw new KubeApiError(404, 'NotFound', 'not found');
      return obj as T;
    },
    watch: () => Promise.resolve(),
    counts: {},
    close: () => {},
  };
  return { kube, reads };
}

const waiter = (kube: KubeClient, timeoutMs: number) => new HealthWaiter({ kube, discovery: new Discovery(kube), timeoutMs, pollMs: 5, ignoredConditions: [] });

describe('HealthWaiter', () => {
  it('passes objects the apply answered healthy without reading them, and reads the others until they are', async () => {
    const { kube, reads } = fakeKube((name, n) => deployment(name, n >= 3 ? 1 : 0));
    const unhealthy = await waiter(kube, 5_000).wait([
      { planned: planned('ready'), live: deployment('ready', 1) },
      { planned: planned('slow'), live: deployment('slow', 0) },
    ]);
    expect(unhealthy).toEqual([]);
    expect(reads).toEqual(['slow', 'slow', 'slow']);
  });

  it('answers the objects still not healthy when the timeout passes, with their last health', async () => {
    const { kube } = fakeKube((name) => (name === 'gone' ? undefined : deployment(name, 0)));
    const unhealthy = await waiter(kube, 50).wait([
      { planned: planned('stuck'), live: deployment('stuck', 0) },
      { planned: planned('fine'), live: deployment('fine', 1) },
      { planned: planned('gone'), live: deployment('gone', 0) },
    ]);
    expect(unhealthy.map((u) => `${u.ref.name}: ${u.health.status}`)).toEqual(['stuck: Progressing', 'gone: Missing']);
  });
});
