import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { register } from '../support/agent-client.ts';
import { query } from '../support/database.ts';
import { eventually } from '../support/eventually.ts';
import { startHub, type TestHub } from '../support/hub.ts';

let hub: TestHub;
let regToken: string;
const clusterIds: Record<string, string> = {};

const CLUSTERS: [string, Record<string, string>][] = [
  ['pg-a', { fleet: 'page', gpu: 'yes' }],
  ['pg-c', { fleet: 'page' }],
  ['pg-e', { fleet: 'page', gpu: 'no' }],
  ['pg-g', { fleet: 'page' }],
  ['pg-i', { fleet: 'page' }],
  ['other-x', { fleet: 'other' }],
];

async function addCluster(name: string, labels: Record<string, string>): Promise<void> {
  clusterIds[name] = (await register(hub, { token: regToken, identity: `page-${name}-${Math.random()}`, labels, name })).clusterId;
}

beforeAll(async () => {
  hub = await startHub();
  regToken = (await hub.api('POST', '/api/v1/registration-tokens', { description: 'pagination' })).body.token;
  for (const [name, labels] of CLUSTERS) await addCluster(name, labels);
});
afterAll(async () => {
  await hub?.dispose();
});

const get = async (path: string) => {
  const res = await hub.api('GET', path);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { items: any[]; nextCursor: string | null; [k: string]: unknown };
};

/** Follows nextCursor to the end; `between` runs after each page but the last. */
async function walk(path: string, limit: number, between?: (page: number) => Promise<void>): Promise<{ pages: number; items: any[] }> {
  const items: any[] = [];
  let cursor: string | null = null;
  let pages = 0;
  const sep = path.includes('?') ? '&' : '?';
  do {
    const page = await get(`${path}${sep}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(page.items.length).toBeLessThanOrEqual(limit);
    items.push(...page.items);
    pages++;
    cursor = page.nextCursor;
    if (cursor && between) await between(pages);
  } while (cursor);
  return { pages, items };
}

describe('pagination of clusters', () => {
  it('pages by name with { items, nextCursor }, never skipping or repeating under inserts', async () => {
    const first = await get('/api/v1/clusters?namePrefix=pg-&limit=2');
    expect(first.items.map((c) => c.name)).toEqual(['pg-a', 'pg-c']);
    expect(first.nextCursor).toEqual(expect.any(String));

    // Between pages: one cluster sorts before the cursor (never shown), one after (shown once).
    const walked = await walk('/api/v1/clusters?namePrefix=pg-', 2, async (page) => {
      if (page === 1) {
        await addCluster('pg-b', { fleet: 'page' });
        await addCluster('pg-h', { fleet: 'page' });
      }
    });
    expect(walked.items.map((c) => c.name)).toEqual(['pg-a', 'pg-c', 'pg-e', 'pg-g', 'pg-h', 'pg-i']);
    expect(walked.pages).toBe(3);
  });

  it('defaults to 100 per page and returns nextCursor null on the last page', async () => {
    const all = await get('/api/v1/clusters');
    expect(all.nextCursor).toBeNull();
    expect(all.items.map((c) => c.name)).toEqual([...all.items.map((c) => c.name)].sort());
    expect(all.items.length).toBe(Object.keys(clusterIds).length);
  });

  it('filters by selector (exists / does not exist) in SQL, so pages stay full', async () => {
    expect((await get('/api/v1/clusters?selector=gpu')).items.map((c) => c.name)).toEqual(['pg-a', 'pg-e']);
    expect((await get('/api/v1/clusters?selector=gpu%3Dyes')).items.map((c) => c.name)).toEqual(['pg-a']);
    const noGpu = await walk(`/api/v1/clusters?selector=${encodeURIComponent('fleet=page,!gpu')}`, 1);
    expect(noGpu.items.map((c) => c.name)).toEqual(['pg-b', 'pg-c', 'pg-g', 'pg-h', 'pg-i']);
    expect(noGpu.pages).toBe(5);
    expect((await get(`/api/v1/clusters?selector=${encodeURIComponent('gpu notin (yes)')}&namePrefix=pg-e`)).items.map((c) => c.name)).toEqual(['pg-e']);
  });

  it('filters by connection', async () => {
    await query(hub.database.url, `UPDATE clusters SET connection = 'offline' WHERE name IN ('pg-c', 'other-x')`);
    expect((await get('/api/v1/clusters?connection=offline')).items.map((c) => c.name)).toEqual(['other-x', 'pg-c']);
    expect((await get('/api/v1/clusters?connection=offline&namePrefix=pg')).items.map((c) => c.name)).toEqual(['pg-c']);
    expect((await get('/api/v1/clusters?connection=online')).items).toEqual([]);
  });
});

describe('pagination of bundles, groups and deployments', () => {
  const configMap = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { a: '1' } });

  beforeAll(async () => {
    for (const name of ['app-1', 'app-2', 'app-3', 'db-1']) {
      const res = await hub.api('PUT', `/api/v1/bundles/${name}`, { resources: [configMap(name)], targets: [{ clusterSelector: { matchLabels: { fleet: 'page' } } }] });
      expect(res.status, `${JSON.stringify(res.body)}\n${hub.logs().slice(-3000)}`).toBe(201);
    }
    for (const name of ['grp-a', 'grp-b', 'grp-c']) await hub.api('POST', '/api/v1/cluster-groups', { name, selector: { matchLabels: { fleet: 'page' } } });
    // Fan-out is asynchronous: wait until every targeted cluster has a deployment.
    await eventually(async () => expect((await get('/api/v1/bundles/app-1/status')).total).toBe(7));
  });

  it('pages bundles by name and filters by name prefix', async () => {
    const walked = await walk('/api/v1/bundles', 3);
    expect(walked.items.map((b) => b.name)).toEqual(['app-1', 'app-2', 'app-3', 'db-1']);
    expect(walked.pages).toBe(2);
    expect((await get('/api/v1/bundles?namePrefix=app')).items.map((b) => b.name)).toEqual(['app-1', 'app-2', 'app-3']);
  });

  it('pages cluster groups with their members', async () => {
    const walked = await walk('/api/v1/cluster-groups', 2);
    expect(walked.items.map((g) => g.name)).toEqual(['grp-a', 'grp-b', 'grp-c']);
    expect(walked.items[2].members).toHaveLength(7);
    expect((await get('/api/v1/cluster-groups?namePrefix=grp-b')).items.map((g) => g.name)).toEqual(['grp-b']);
  });

  it('counts every deployment of a bundle by state while returning one page of them', async () => {
    await query(hub.database.url, `UPDATE deployments d SET state = 'Ready' FROM clusters c, bundles b WHERE d.cluster_id = c.id AND d.bundle_id = b.id AND b.name = 'app-1' AND c.name IN ('pg-a', 'pg-g')`);
    await query(hub.database.url, `UPDATE deployments d SET state = 'ErrApplied' FROM clusters c, bundles b WHERE d.cluster_id = c.id AND d.bundle_id = b.id AND b.name = 'app-1' AND c.name = 'pg-i'`);
    const status = await get('/api/v1/bundles/app-1/status?limit=2');
    expect(status).toMatchObject({ bundle: 'app-1', revision: expect.stringMatching(/^sha256:/), total: 7 });
    expect(status.counts).toEqual({ Ready: 2, ErrApplied: 1, WaitApplied: 4, NotReady: 0, Pending: 0, OutOfSync: 0, Modified: 0 });
    expect(status.items.map((d) => d.clusterName)).toEqual(['pg-a', 'pg-b']);

    const walked = await walk('/api/v1/bundles/app-1/status', 3);
    expect(walked.items.map((d) => d.clusterName)).toEqual(['pg-a', 'pg-b', 'pg-c', 'pg-e', 'pg-g', 'pg-h', 'pg-i']);
    const ready = await walk('/api/v1/bundles/app-1/status?state=Ready', 1);
    expect(ready.items.map((d) => [d.clusterName, d.state])).toEqual([['pg-a', 'Ready'], ['pg-g', 'Ready']]);
  });

  it("pages a cluster's deployments by bundle name, filtered by state", async () => {
    const walked = await walk(`/api/v1/clusters/${clusterIds['pg-a']}/deployments`, 3);
    expect(walked.items.map((d) => d.bundleName)).toEqual(['app-1', 'app-2', 'app-3', 'db-1']);
    expect(walked.pages).toBe(2);
    expect((await get(`/api/v1/clusters/${clusterIds['pg-a']}/deployments?state=Ready`)).items.map((d) => d.bundleName)).toEqual(['app-1']);
  });
});

describe('pagination of tokens', () => {
  it('pages API tokens newest first and filters active / revoked', async () => {
    const ids: string[] = [];
    for (const name of ['t1', 't2', 't3', 't4']) ids.push((await hub.api('POST', '/api/v1/api-tokens', { name, role: 'readonly' })).body.id);
    expect((await hub.api('DELETE', `/api/v1/api-tokens/${ids[1]}`)).status).toBe(204);
    const walked = await walk('/api/v1/api-tokens', 3, async () => {
      // A token created between pages is newer than the cursor: not shown, and nothing repeats.
      await hub.api('POST', '/api/v1/api-tokens', { name: 'late', role: 'readonly' });
    });
    expect(walked.items.map((t) => t.name)).toEqual(['t4', 't3', 't2', 't1']);
    expect((await get('/api/v1/api-tokens?status=revoked')).items.map((t) => t.name)).toEqual(['t2']);
    expect((await get('/api/v1/api-tokens?status=active')).items.map((t) => t.name)).toEqual(['late', 't4', 't3', 't1']);
  });

  it('pages registration tokens newest first and filters active / revoked', async () => {
    const made: string[] = [];
    for (const description of ['r1', 'r2', 'r3']) made.push((await hub.api('POST', '/api/v1/registration-tokens', { description })).body.id);
    await hub.api('DELETE', `/api/v1/registration-tokens/${made[0]}`);
    const exhausted = (await hub.api('POST', '/api/v1/registration-tokens', { description: 'r4', maxUses: 1 })).body;
    await register(hub, { token: exhausted.token, identity: `page-exhausted-${Math.random()}`, labels: {}, name: 'zz-exhausted' });
    const walked = await walk('/api/v1/registration-tokens', 2);
    expect(walked.items.map((t) => t.description)).toEqual(['r4', 'r3', 'r2', 'r1', 'pagination']);
    expect((await get('/api/v1/registration-tokens?status=revoked')).items.map((t) => t.description)).toEqual(['r1']);
    expect((await get('/api/v1/registration-tokens?status=active')).items.map((t) => t.description)).toEqual(['r3', 'r2', 'pagination']);
  });
});

describe('OpenAPI', () => {
  it('documents limit, cursor and the filters on every list, and the page shape', async () => {
    const doc = (await hub.api('GET', '/openapi.json', undefined, null)).body;
    const params = (path: string) => (doc.paths[path].get.parameters as { name: string; in: string }[]).filter((p) => p.in === 'query').map((p) => p.name).sort();
    expect(params('/api/v1/clusters')).toEqual(['connection', 'cursor', 'limit', 'namePrefix', 'selector']);
    expect(params('/api/v1/cluster-groups')).toEqual(['cursor', 'limit', 'namePrefix']);
    expect(params('/api/v1/bundles')).toEqual(['cursor', 'limit', 'namePrefix']);
    expect(params('/api/v1/bundles/{name}/status')).toEqual(['cursor', 'limit', 'notOnLatest', 'revision', 'selector', 'state']);
    expect(params('/api/v1/clusters/{id}/deployments')).toEqual(['cursor', 'limit', 'notOnLatest', 'revision', 'selector', 'state']);
    expect(params('/api/v1/deployments')).toEqual(['bundle', 'cursor', 'limit', 'notOnLatest', 'revision', 'selector', 'state']);
    expect(params('/api/v1/status/bundles')).toEqual(['cursor', 'gitRepo', 'limit', 'state']);
    expect(params('/api/v1/api-tokens')).toEqual(['cursor', 'limit', 'status']);
    expect(params('/api/v1/registration-tokens')).toEqual(['cursor', 'limit', 'status']);
    const page = doc.paths['/api/v1/bundles'].get.responses['200'].content['application/json'].schema;
    expect(Object.keys(page.properties).sort()).toEqual(['items', 'nextCursor']);
  });
});

describe('bad pagination input', () => {
  const clusterCursor = Buffer.from(JSON.stringify(['pg-a'])).toString('base64url');
  it.each([
    ['/api/v1/clusters?limit=0', 'query.limit', 'must be at least 1'],
    ['/api/v1/clusters?limit=1001', 'query.limit', 'must be at most 1000'],
    ['/api/v1/bundles?limit=ten', 'query.limit', ''],
    ['/api/v1/bundles?limit=2.5', 'query.limit', 'must be an integer'],
    ['/api/v1/clusters?cursor=not%20a%20cursor', 'query.cursor', 'is not a cursor returned by this endpoint'],
    ['/api/v1/cluster-groups?cursor=bm90LWpzb24', 'query.cursor', 'is not a cursor returned by this endpoint'],
    [`/api/v1/api-tokens?cursor=${clusterCursor}`, 'query.cursor', 'is not a cursor returned by this endpoint'],
    [`/api/v1/registration-tokens?cursor=${Buffer.from(JSON.stringify(['yesterday', 'x'])).toString('base64url')}`, 'query.cursor', 'is not a cursor returned by this endpoint'],
    ['/api/v1/bundles/app-1/status?state=Broken', 'query.state', ''],
    ['/api/v1/clusters?connection=sleeping', 'query.connection', ''],
    ['/api/v1/bundles?namePrefix=App', 'query.namePrefix', 'must be 1 to 63 lower-case alphanumerics or "-"'],
    ['/api/v1/api-tokens?status=expired', 'query.status', ''],
    ['/api/v1/clusters?selector=gpu%3D%3D%3D', 'query.selector', ''],
    ['/api/v1/bundles?sort=name', 'query', 'sort'],
  ])('GET %s → 400 naming %s', async (path, field, message) => {
    const res = await hub.api('GET', path);
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.field).toBe(field);
    expect(res.body.error).toMatch(/^(ValidationFailed|InvalidSelector)$/);
    expect(res.body.message).toContain(message);
  });
});
