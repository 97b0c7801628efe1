import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.ts';
import { startHub, type TestHub } from '../support/hub.ts';

// Issue #9: bundle manifests are parsed off the event loop, linearly, and within bounds.
let hub: TestHub;

beforeAll(async () => {
  hub = await startHub();
});
afterAll(async () => {
  await hub?.dispose();
});

const unique = (name: string) => `${name}-${Math.random().toString(36).slice(2, 10)}`;
const doc = (i: number, data = '') => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c${i}}\n${data}`;
const manifests = (n: number, data = '') => Array.from({ length: n }, (_, i) => doc(i, data)).join('---\n');

/** Parses running on the hub's parser threads, from its metrics. */
async function parsesInFlight(): Promise<number> {
  const text = (await hub.api('GET', '/metrics', undefined, null)).body as string;
  const match = /^flotilla_manifest_parses_in_flight (\d+)$/m.exec(text);
  if (!match) throw new Error('flotilla_manifest_parses_in_flight is not exported');
  return Number(match[1]);
}

/** PUTs a bundle of this test's own, then the bad input: the bad PUT must leave it as it was. */
async function refused(input: unknown): Promise<{ status: number; body: any }> {
  const name = unique('bounds');
  expect((await hub.api('PUT', `/api/v1/bundles/${name}`, { manifests: doc(0), targets: [] })).status).toBe(201);
  const before = (await hub.api('GET', `/api/v1/bundles/${name}`)).body;
  const res = await hub.api('PUT', `/api/v1/bundles/${name}`, input);
  expect((await hub.api('GET', `/api/v1/bundles/${name}`)).body).toEqual(before);
  return res;
}

describe('manifest bounds', () => {
  it('refuses 10,001 objects with 400, naming the limit and the first document past it', async () => {
    const res = await refused({ manifests: manifests(10_001), targets: [] });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'InvalidManifest', field: 'manifests', message: 'manifests document 10001 (line 40001): more than 10000 objects' });
  });

  it('refuses 48 MB of "---" with TooManyDocuments, and the hub lives on', async () => {
    const res = await refused({ manifests: '---\n'.repeat(12_000_000), targets: [] });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'InvalidManifest', field: 'manifests', message: 'manifests document 20001 (line 20001): more than 20000 documents (empty ones included)' });
    expect((await hub.api('GET', '/healthz', undefined, null)).status).toBe(200);
  });

  it('refuses a resource nested 10,000 deep with 400 naming it (was a 500)', async () => {
    const deep = `${'{"d":'.repeat(10_000)}1${'}'.repeat(10_000)}`;
    const body = `{"targets": [], "resources": [{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}}, {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "b"}, "data": ${deep}}]}`;
    const res = await refused(body);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'InvalidManifest', field: 'resources[1]', message: 'resources[1]: nested deeper than 100 levels' });
  });

  it('answers /healthz and /metrics while a large body is being parsed', async () => {
    const name = unique('big');
    const data = `data:\n${Array.from({ length: 20 }, (_, k) => `  key${k}: "${'v'.repeat(40)}"\n`).join('')}`;
    const put = hub.api('PUT', `/api/v1/bundles/${name}`, { manifests: manifests(10_000, data), targets: [] });
    // The hub answering its metrics with a parse in flight is the API being served during the parse.
    await eventually(async () => expect(await parsesInFlight()).toBe(1), { intervalMs: 20, description: 'a parse in flight' });
    expect((await hub.api('GET', '/healthz', undefined, null)).status).toBe(200);
    expect((await put).status).toBe(201);
    expect((await hub.api('GET', `/api/v1/bundles/${name}`)).body).toMatchObject({ resourceCount: 10_000 });
  });
});
