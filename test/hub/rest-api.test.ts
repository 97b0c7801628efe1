import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { register } from '../support/agent-client.ts';
import { startHub, type TestHub } from '../support/hub.ts';

let hub: TestHub;
let readonlyToken: string;
let clusters: Record<string, string>;
beforeAll(async () => {
  hub = await startHub();
  readonlyToken = (await hub.api('POST', '/api/v1/api-tokens', { name: 'viewer', role: 'readonly' })).body.token;
  const token = (await hub.api('POST', '/api/v1/registration-tokens', { labels: { fleet: 'rest' } })).body.token;
  clusters = {};
  for (const [name, labels] of [
    ['eu-prod', { env: 'prod', region: 'eu' }],
    ['us-prod', { env: 'prod', region: 'us' }],
    ['eu-dev', { env: 'dev', region: 'eu' }],
  ] as const) {
    clusters[name] = (await register(hub, { token, identity: `rest-${name}-${Math.random()}`, labels, name })).clusterId;
  }
});
afterAll(async () => {
  await hub?.dispose();
});

const names = (list: { name: string }[]) => list.map((c) => c.name).sort();

describe('REST authentication', () => {
  it('answers 401 without a token and with a wrong one', async () => {
    const none = await hub.api('GET', '/api/v1/clusters', undefined, null);
    expect(none).toMatchObject({ status: 401, body: { error: 'ApiTokenMissing' } });
    const wrong = await hub.api('GET', '/api/v1/clusters', undefined, `flt_api_00000000-0000-4000-8000-000000000000_${'a'.repeat(43)}`);
    expect(wrong).toMatchObject({ status: 401, body: { error: 'ApiTokenInvalid' } });
  });

  it('lets a read-only token read but not write (403)', async () => {
    expect((await hub.api('GET', '/api/v1/clusters', undefined, readonlyToken)).status).toBe(200);
    const write = await hub.api('POST', '/api/v1/registration-tokens', {}, readonlyToken);
    expect(write).toMatchObject({ status: 403, body: { error: 'ApiRoleForbidden' } });
    expect((await hub.api('GET', '/api/v1/api-tokens', undefined, readonlyToken)).status).toBe(403);
  });

  it('stops accepting a revoked API token', async () => {
    const created = (await hub.api('POST', '/api/v1/api-tokens', { name: 'temp', role: 'admin' })).body;
    expect((await hub.api('GET', '/api/v1/clusters', undefined, created.token)).status).toBe(200);
    expect((await hub.api('DELETE', `/api/v1/api-tokens/${created.id}`)).status).toBe(204);
    expect((await hub.api('GET', '/api/v1/clusters', undefined, created.token)).status).toBe(401);
  });

  it('serves health, readiness, metrics and the OpenAPI document without a token', async () => {
    expect((await hub.api('GET', '/healthz', undefined, null)).body).toEqual({ status: 'ok' });
    expect((await hub.api('GET', '/readyz', undefined, null)).body).toMatchObject({ status: 'ready' });
    const metrics = await hub.api('GET', '/metrics', undefined, null);
    expect(metrics.body).toContain('flotilla_registrations_total');
    const doc = (await hub.api('GET', '/openapi.json', undefined, null)).body;
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/clusters', '/api/v1/cluster-groups/{id}', '/api/v1/registration-tokens']));
  });
});

describe('clusters', () => {
  it('filters by label selector', async () => {
    const q = (s: string) => hub.api('GET', `/api/v1/clusters?selector=${encodeURIComponent(s)}`);
    expect(names((await q('fleet=rest,env=prod')).body.items)).toEqual(['eu-prod', 'us-prod']);
    expect(names((await q('fleet=rest,region in (eu),env!=prod')).body.items)).toEqual(['eu-dev']);
    expect(names((await q('fleet=rest,!region')).body.items)).toEqual([]);
  });

  it('rejects a bad selector naming the query field', async () => {
    const res = await hub.api('GET', `/api/v1/clusters?selector=${encodeURIComponent('region in (eu')}`);
    expect(res).toMatchObject({ status: 400, body: { error: 'InvalidSelector', field: 'query.selector' } });
  });

  it('patches labels (set and remove) and validates them', async () => {
    const id = clusters['eu-dev'];
    const res = await hub.api('PATCH', `/api/v1/clusters/${id}`, { labels: { tier: 'edge', region: null } });
    expect(res.status).toBe(200);
    expect(res.body.labels).toEqual({ fleet: 'rest', env: 'dev', tier: 'edge' });
    const bad = await hub.api('PATCH', `/api/v1/clusters/${id}`, { labels: { env: 'no spaces' } });
    expect(bad).toMatchObject({ status: 400, body: { error: 'InvalidLabels', field: 'labels.env' } });
    const wrongType = await hub.api('PATCH', `/api/v1/clusters/${id}`, { labels: { env: 3 } });
    expect(wrongType).toMatchObject({ status: 400, body: { error: 'ValidationFailed', field: 'body.labels.env' } });
    expect((await hub.api('GET', `/api/v1/clusters/${id}`)).body.labels).toEqual({ fleet: 'rest', env: 'dev', tier: 'edge' });
  });

  it('answers 400 for a malformed id, 404 for an unknown one, 400 for malformed JSON', async () => {
    expect(await hub.api('GET', '/api/v1/clusters/not-a-uuid')).toMatchObject({ status: 400, body: { field: 'params.id' } });
    expect(await hub.api('GET', '/api/v1/clusters/00000000-0000-4000-8000-000000000000')).toMatchObject({ status: 404, body: { error: 'ClusterNotFound' } });
    const malformed = await hub.api('PATCH', `/api/v1/clusters/${clusters['eu-dev']}`, '{"labels": ');
    expect(malformed.status).toBe(400);
  });
});

describe('cluster groups', () => {
  it('computes members from the selector and follows label changes', async () => {
    const created = await hub.api('POST', '/api/v1/cluster-groups', {
      name: `prod-${Date.now()}`,
      selector: { matchLabels: { fleet: 'rest', env: 'prod' } },
    });
    expect(created.status).toBe(201);
    expect(names(created.body.members)).toEqual(['eu-prod', 'us-prod']);
    await hub.api('PATCH', `/api/v1/clusters/${clusters['us-prod']}`, { labels: { env: 'staging' } });
    expect(names((await hub.api('GET', `/api/v1/cluster-groups/${created.body.id}`)).body.members)).toEqual(['eu-prod']);
    const updated = await hub.api('PATCH', `/api/v1/cluster-groups/${created.body.id}`, {
      selector: { matchLabels: { fleet: 'rest' }, matchExpressions: [{ key: 'env', operator: 'In', values: ['dev', 'staging'] }] },
    });
    expect(names(updated.body.members)).toEqual(['eu-dev', 'us-prod']);
    expect((await hub.api('DELETE', `/api/v1/cluster-groups/${created.body.id}`)).status).toBe(204);
    expect((await hub.api('GET', `/api/v1/cluster-groups/${created.body.id}`)).status).toBe(404);
  });

  it('rejects bad groups with the field named, and duplicates with 409', async () => {
    const cases: [object, string][] = [
      [{ name: 'Bad Name', selector: {} }, 'body.name'],
      [{ name: 'g1' }, 'body.selector'],
      [{ name: 'g1', selector: { matchExpressions: [{ key: 'a', operator: 'In' }] } }, 'selector.matchExpressions[0].values'],
      [{ name: 'g1', selector: { matchExpressions: [{ key: 'a', operator: 'Near', values: ['x'] }] } }, 'body.selector.matchExpressions.0.operator'],
      [{ name: 'g1', selector: {}, extra: true }, 'body'],
    ];
    for (const [input, field] of cases) {
      const res = await hub.api('POST', '/api/v1/cluster-groups', input);
      expect(res.status, JSON.stringify(input)).toBe(400);
      expect(res.body.field ?? '').toContain(field);
    }
    const name = `dup-${Date.now()}`;
    expect((await hub.api('POST', '/api/v1/cluster-groups', { name, selector: {} })).status).toBe(201);
    expect(await hub.api('POST', '/api/v1/cluster-groups', { name, selector: {} })).toMatchObject({ status: 409, body: { error: 'ClusterGroupExists', field: 'name' } });
  });
});

describe('registration token bodies', () => {
  it.each([
    [{ ttlSeconds: 1 }, 'body.ttlSeconds'],
    [{ maxUses: 0 }, 'body.maxUses'],
    [{ labels: { env: 'x y' } }, 'labels.env'],
    [{ unknown: 1 }, 'body'],
  ])('rejects %j naming %s', async (input, field) => {
    const before = (await hub.api('GET', '/api/v1/registration-tokens')).body.items.length;
    const res = await hub.api('POST', '/api/v1/registration-tokens', input);
    expect(res.status).toBe(400);
    expect(res.body.field).toContain(field);
    expect((await hub.api('GET', '/api/v1/registration-tokens')).body.items.length).toBe(before);
  });
});
