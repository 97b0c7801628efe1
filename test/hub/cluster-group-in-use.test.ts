import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type TestHub } from '../support/hub.ts';

let hub: TestHub;
beforeAll(async () => {
  hub = await startHub();
});
afterAll(async () => {
  await hub?.dispose();
});

const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { a: '1' } };

async function group(name: string): Promise<string> {
  const res = await hub.api('POST', '/api/v1/cluster-groups', { name, selector: { matchLabels: { env: name } } });
  expect(res.status).toBe(201);
  return res.body.id;
}

async function bundle(name: string, targets: unknown[]): Promise<void> {
  const res = await hub.api('PUT', `/api/v1/bundles/${name}`, { resources: [configMap], targets });
  expect([200, 201], JSON.stringify(res.body)).toContain(res.status);
}

describe('cluster groups that bundles target', () => {
  it('refuses to delete a targeted group with 409 ClusterGroupInUse naming the bundles', async () => {
    const id = await group('prod');
    await bundle('web', [{ clusterGroup: 'prod' }]);
    await bundle('api', [{ clusterName: 'x' }, { clusterGroup: 'prod', clusterSelector: { matchLabels: { tier: 'a' } } }]);
    await bundle('other', [{ clusterName: 'prod' }]);
    const res = await hub.api('DELETE', `/api/v1/cluster-groups/${id}`);
    expect(res).toMatchObject({
      status: 409,
      body: { error: 'ClusterGroupInUse', message: 'cannot delete cluster group "prod": bundles "api", "web" target it; change their targets first' },
    });
    expect((await hub.api('GET', `/api/v1/cluster-groups/${id}`)).status).toBe(200);
  });

  it('refuses to rename a targeted group, naming the field, but allows other edits', async () => {
    const id = await group('stage');
    await bundle('stage-web', [{ clusterGroup: 'stage' }]);
    const rename = await hub.api('PATCH', `/api/v1/cluster-groups/${id}`, { name: 'staging' });
    expect(rename).toMatchObject({
      status: 409,
      body: { error: 'ClusterGroupInUse', field: 'name', message: 'cannot rename cluster group "stage": bundle "stage-web" targets it; change their targets first' },
    });
    expect((await hub.api('GET', `/api/v1/cluster-groups/${id}`)).body.name).toBe('stage');
    // Same name, new selector or description: the bundles stay targeted.
    const edit = await hub.api('PATCH', `/api/v1/cluster-groups/${id}`, { name: 'stage', description: 'd', selector: { matchLabels: { env: 'staging' } } });
    expect(edit).toMatchObject({ status: 200, body: { name: 'stage', description: 'd' } });
  });

  it('lists at most ten bundles and says how many more', async () => {
    const id = await group('wide');
    for (let i = 0; i < 12; i++) await bundle(`wide-${String(i).padStart(2, '0')}`, [{ clusterGroup: 'wide' }]);
    const res = await hub.api('DELETE', `/api/v1/cluster-groups/${id}`);
    expect(res.status).toBe(409);
    expect(res.body.message).toBe(
      `cannot delete cluster group "wide": bundles ${Array.from({ length: 10 }, (_, i) => `"wide-0${i}"`).join(', ')} and 2 more target it; change their targets first`,
    );
  });

  it('allows rename and delete once no bundle targets the group', async () => {
    const id = await group('temp');
    await bundle('temp-web', [{ clusterGroup: 'temp' }]);
    expect((await hub.api('DELETE', `/api/v1/cluster-groups/${id}`)).status).toBe(409);
    await bundle('temp-web', [{ clusterName: 'somewhere' }]);
    expect(await hub.api('PATCH', `/api/v1/cluster-groups/${id}`, { name: 'temp-2' })).toMatchObject({ status: 200, body: { name: 'temp-2' } });
    expect((await hub.api('DELETE', `/api/v1/cluster-groups/${id}`)).status).toBe(204);
  });

  it('answers 404 for an unknown group and 400 for a bad id or name', async () => {
    expect(await hub.api('DELETE', '/api/v1/cluster-groups/00000000-0000-4000-8000-000000000000')).toMatchObject({ status: 404, body: { error: 'ClusterGroupNotFound' } });
    expect(await hub.api('PATCH', '/api/v1/cluster-groups/00000000-0000-4000-8000-000000000000', { name: 'x' })).toMatchObject({ status: 404, body: { error: 'ClusterGroupNotFound' } });
    expect(await hub.api('DELETE', '/api/v1/cluster-groups/not-a-uuid')).toMatchObject({ status: 400, body: { error: 'ValidationFailed', field: 'params.id' } });
    const id = await group('bad-name');
    expect(await hub.api('PATCH', `/api/v1/cluster-groups/${id}`, { name: 'Bad Name' })).toMatchObject({ status: 400, body: { error: 'ValidationFailed', field: 'body.name' } });
  });
});
