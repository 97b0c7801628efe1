import { describe, expect, it } from 'vitest';
import { Discovery } from '../apply/discovery.js';
import { KubeApiError } from '../kube/kube-api-error.js';
import type { KubeClient, RequestOptions } from '../kube/kube-client.js';
import { driftApi } from './drift-api.js';

/** A KubeClient serving the apps/v1 discovery document and answering PATCH with `patch`, recording requests. */
function fakeKube(patch: (body: unknown) => unknown) {
  const calls: { method: string; path: string; options?: RequestOptions }[] = [];
  const kube: KubeClient = {
    async request<T>(method: string, path: string, options?: RequestOptions): Promise<T> {
      calls.push({ method, path, options });
      if (method === 'GET' && path === '/apis/apps/v1') return { resources: [{ name: 'deployments', kind: 'Deployment', namespaced: true }] } as T;
      if (method === 'GET') throw new KubeApiError(404, 'NotFound', 'the server could not find the requested resource');
      return patch(options?.body) as T;
    },
    watch: () => Promise.resolve(),
    counts: {},
    close: () => {},
  };
  return { kube, calls };
}

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop' },
  spec: { replicas: 2, 'x-unknown-field': { $ref: 'kept' } },
};

describe('driftApi', () => {
  it('runs a forced server-side apply dry-run of the manifest, unchanged, as flotilla-agent', async () => {
    const stored = { ...deployment, metadata: { ...deployment.metadata, uid: 'u-1' } };
    const { kube, calls } = fakeKube(() => stored);
    const api = driftApi(kube, new Discovery(kube));
    expect(await api.dryRunApply(deployment, 'flotilla-agent')).toBe(stored);
    const patch = calls.find((c) => c.method === 'PATCH');
    expect(patch).toEqual({
      method: 'PATCH',
      path: '/apis/apps/v1/namespaces/shop/deployments/web',
      options: {
        query: { fieldManager: 'flotilla-agent', force: true, dryRun: 'All' },
        body: deployment,
        contentType: 'application/apply-patch+yaml',
      },
    });
    expect(patch?.options?.body).toBe(deployment);
  });

  it("rejects with the client's KubeApiError, and with a 404 for a kind the server does not serve", async () => {
    const invalid = new KubeApiError(422, 'Invalid', 'Deployment.apps "web" is invalid');
    const { kube } = fakeKube(() => {
      throw invalid;
    });
    const api = driftApi(kube, new Discovery(kube));
    await expect(api.dryRunApply(deployment, 'flotilla-agent')).rejects.toBe(invalid);
    await expect(api.dryRunApply({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }, 'flotilla-agent')).rejects.toMatchObject({
      status: 404,
      message: 'the server does not serve kind Widget in example.com/v1',
    });
  });

  it('refuses another field manager rather than applying as flotilla-agent', async () => {
    const { kube, calls } = fakeKube(() => deployment);
    await expect(driftApi(kube, new Discovery(kube)).dryRunApply(deployment, 'someone')).rejects.toThrow(/field manager "someone"/);
    expect(calls).toEqual([]);
  });
});
