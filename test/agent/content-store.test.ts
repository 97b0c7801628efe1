/**
 * The agent's in-cluster content store on a real API server: content split
 * over several Secrets and read back verified; damaged or missing parts read
 * as "not stored"; old revisions removed.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeClient } from '../../agent/src/kube/kube-client.ts';
import { ContentStore } from '../../agent/src/store/content.store.ts';
import { startCluster, type Cluster } from '../clusters/index.ts';
import { createNamespace, kubeFor, rand, storeRevision } from './agent-support.ts';

describe('content store (api-only cluster)', () => {
  let cluster: Cluster;
  let kube: KubeClient;
  let ns: string;

  beforeAll(async () => {
    cluster = await startCluster();
    kube = await kubeFor(cluster);
    ns = `flotilla-${rand()}`;
    await createNamespace(kube, ns);
  });

  afterAll(async () => {
    kube?.close();
    await cluster?.stop();
  });

  it('stores content over several Secrets and reads it back; retain removes other revisions', async () => {
    // 64 KiB parts so that ~300 KiB of incompressible content needs several.
    const store = new ContentStore(kube, ns, 64 * 1024);
    const objects = [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big' }, data: { blob: randomBytes(220 * 1024).toString('base64') } }];
    const revision = await storeRevision(store, objects);
    const other = await storeRevision(store, [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'small' } }]);

    const secrets = await kube.request('GET', `/api/v1/namespaces/${ns}/secrets`, { query: { labelSelector: 'flotilla.dev/content=true' } });
    expect(secrets.items.length).toBeGreaterThan(4);
    expect(JSON.parse((await store.get(revision))!.toString())).toEqual(objects);

    await store.retain(new Set([other]));
    expect(await store.get(revision)).toBeUndefined();
    expect(await store.get(other)).toBeDefined();
  });

  it('treats damaged content as not stored', async () => {
    const store = new ContentStore(kube, ns);
    const revision = await storeRevision(store, [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }]);
    const name = `flotilla-content-${revision.slice(7, 31)}-0`;
    const secret = await kube.request('GET', `/api/v1/namespaces/${ns}/secrets/${name}`);
    secret.data.content = Buffer.from('not gzip').toString('base64');
    await kube.request('PUT', `/api/v1/namespaces/${ns}/secrets/${name}`, { body: secret });
    expect(await store.get(revision)).toBeUndefined();
    expect(await new ContentStore(kube, ns).get(`sha256:${'a'.repeat(64)}`)).toBeUndefined();
  });
});
