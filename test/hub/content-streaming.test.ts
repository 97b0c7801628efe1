import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentClient, credentialMetadata, fetchContent, latestDesired, register, watch } from '../support/agent-client.ts';
import { eventually } from '../support/eventually.ts';
import { startHub, type TestHub } from '../support/hub.ts';

/**
 * Issue 8: a 20 MiB revision fetched by several clusters is read from
 * PostgreSQL once (shared, bounded cache) — or, above the cache's item bound,
 * one chunk at a time — and a client that disconnects mid-stream does not
 * leave a handler waiting for `drain`.
 */
const MiB = 1024 * 1024;
const configMap = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { blob: 'x'.repeat(MiB) } });
const metric = async (hub: TestHub, line: RegExp) => Number(line.exec((await hub.api('GET', '/metrics')).body as string)?.[1] ?? NaN);
const dbBytes = (hub: TestHub) => metric(hub, /^flotilla_content_database_bytes_total (\d+)/m);

async function fleetWithBigBundle(hub: TestHub, clusters: number) {
  const env = `big-${Math.random().toString(36).slice(2, 8)}`;
  const token = (await hub.api('POST', '/api/v1/registration-tokens', { labels: { env } })).body.token;
  const regs = await Promise.all(Array.from({ length: clusters }, (_, i) => register(hub, { token, identity: `${env}-${i}` })));
  const put = await hub.api('PUT', `/api/v1/bundles/${env}`, {
    resources: Array.from({ length: 20 }, (_, i) => configMap(`${env}-${i}`)),
    targets: [{ clusterSelector: { matchLabels: { env } } }],
  });
  expect(put.status).toBe(201);
  expect(put.body.size).toBeGreaterThan(20 * MiB);
  for (const reg of regs) {
    const stream = watch(hub, reg.credential);
    await eventually(() => expect(latestDesired(stream)?.deployments.map((d) => d.revision)).toEqual([put.body.revision]));
    stream.cancel();
  }
  return { regs, revision: put.body.revision as string, size: put.body.size as number };
}

const digest = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

describe('content streaming (default cache)', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startHub();
  });
  afterAll(async () => {
    await hub?.dispose();
  });

  it('reads a revision fetched by three clusters at once from PostgreSQL once', async () => {
    const { regs, revision, size } = await fleetWithBigBundle(hub, 3);
    const before = await dbBytes(hub);
    const fetched = await Promise.all(regs.map((r) => fetchContent(hub, r.credential, revision)));
    for (const f of fetched) expect(digest(f.bytes)).toBe(revision);
    expect((await dbBytes(hub)) - before).toBe(size);
  });

  it('ends the handler when the client cancels mid-stream', async () => {
    const { regs, revision } = await fleetWithBigBundle(hub, 1);
    const client = agentClient(hub);
    const call = client.getBundleContent({ revision }, credentialMetadata(regs[0]!.credential));
    await new Promise<void>((resolve) => call.once('data', () => resolve()));
    call.pause(); // stop reading: the hub's writes now wait for flow control
    expect(await metric(hub, /^flotilla_content_streams_active (\d+)/m)).toBe(1);
    call.on('error', () => undefined);
    call.cancel();
    await eventually(async () => expect(await metric(hub, /^flotilla_content_streams_active (\d+)/m)).toBe(0), { timeoutMs: 5_000 });
    client.close();
  });
});

describe('content streaming (revision larger than the cache item bound)', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startHub({ env: { FLOTILLA_CONTENT_CACHE_BYTES: String(4 * MiB) } });
  });
  afterAll(async () => {
    await hub?.dispose();
  });

  it('streams it one chunk at a time from PostgreSQL, whole and correct', async () => {
    const { regs, revision, size } = await fleetWithBigBundle(hub, 1);
    const before = await dbBytes(hub);
    const fetched = await fetchContent(hub, regs[0]!.credential, revision);
    expect(digest(fetched.bytes)).toBe(revision);
    expect(fetched.totalSize).toBe(size);
    expect((await dbBytes(hub)) - before).toBe(size);
    expect(await metric(hub, /^flotilla_content_cache_total\{result="uncached"\} (\d+)/m)).toBe(1);
  });
});
