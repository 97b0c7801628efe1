import { status, type ClientReadableStream, type ServiceError } from '@grpc/grpc-js';
import { AgentServiceClient, type WatchResponse } from '@flotilla/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentClient, credentialMetadata, latestDesired, register, watch } from '../support/agent-client.ts';
import { eventually } from '../support/eventually.ts';
import { startHub, type TestHub } from '../support/hub.ts';

/**
 * Issue 9, item 7: agents that open streams and do not read them cannot make
 * the hub buffer without limit. Per cluster: at most N content streams, each
 * holding at most a couple of chunks unsent; at most M Watch streams, each
 * holding at most two desired states however often the state changes; a
 * reader that takes nothing for the stall time is dropped with
 * RESOURCE_EXHAUSTED.
 */
const MiB = 1024 * 1024;
const rand = () => Math.random().toString(36).slice(2, 8);
const metric = async (hub: TestHub, line: RegExp) => Number(line.exec((await hub.api('GET', '/metrics')).body as string)?.[1] ?? NaN);
const rssBytes = (hub: TestHub) => metric(hub, /^flotilla_hub_process_resident_memory_bytes (\d+)/m);
const active = (hub: TestHub) => metric(hub, /^flotilla_content_streams_active (\d+)/m);
const dropped = (hub: TestHub, stream: string, reason: string) =>
  metric(hub, new RegExp(`^flotilla_agent_streams_dropped_total\\{stream="${stream}",reason="${reason}"\\} (\\d+)`, 'm'));

async function clusterWithBigBundle(hub: TestHub) {
  const env = `big-${rand()}`;
  const token = (await hub.api('POST', '/api/v1/registration-tokens', { labels: { env } })).body.token;
  const reg = await register(hub, { token, identity: env });
  const put = await hub.api('PUT', `/api/v1/bundles/${env}`, {
    resources: Array.from({ length: 20 }, (_, i) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${env}-${i}` }, data: { blob: 'x'.repeat(MiB) } })),
    targets: [{ clusterSelector: { matchLabels: { env } } }],
  });
  expect(put.status).toBe(201);
  // Assigned once the fan-out ran: the cluster's Watch says so.
  const stream = watch(hub, reg.credential);
  await eventually(() => expect(latestDesired(stream)?.deployments.map((d) => d.revision)).toEqual([put.body.revision]));
  stream.cancel();
  return { reg, token, env, revision: put.body.revision as string };
}

/** A content stream that takes its first chunk and then reads nothing. */
function pausedContent(client: AgentServiceClient, credential: string, revision: string) {
  const call = client.getBundleContent({ revision }, credentialMetadata(credential));
  const ended = new Promise<{ code: number; details: string; reason?: string }>((resolve) => {
    call.on('error', (e: ServiceError) => resolve({ code: e.code, details: e.details, reason: e.metadata?.get('flotilla-reason')[0] as string }));
    call.on('end', () => resolve({ code: 0, details: 'OK' }));
  });
  const first = new Promise<boolean>((resolve) => {
    call.once('data', () => {
      call.pause();
      resolve(true);
    });
    void ended.then(() => resolve(false));
  });
  return { call, first, ended };
}

describe('content streams (limit raised to see memory per stream)', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startHub({ env: { FLOTILLA_CONTENT_STREAMS_PER_CLUSTER: '100' } });
  });
  afterAll(async () => {
    await hub?.dispose();
  });

  it('30 paused streams of a 20 MiB revision hold a bounded amount of memory', async () => {
    const { reg, revision } = await clusterWithBigBundle(hub);
    // Warm the cache (one 20 MiB copy shared by every stream), then measure what the streams add.
    const warm = pausedContent(agentClient(hub), reg.credential, revision);
    await warm.first;
    warm.call.cancel();
    await eventually(async () => expect(await active(hub)).toBe(0));
    const before = await rssBytes(hub);
    const client = agentClient(hub);
    const streams = Array.from({ length: 30 }, () => pausedContent(client, reg.credential, revision));
    expect((await Promise.all(streams.map((s) => s.first))).every(Boolean)).toBe(true);
    await eventually(async () => expect(await active(hub)).toBe(30));
    await new Promise((r) => setTimeout(r, 1000)); // let the handlers write all they are allowed to
    const grown = (await rssBytes(hub)) - before;
    // Each stream may hold its buffer bound (2 MiB) plus the chunk HTTP/2 holds: 30 × 3 MiB = 90 MiB, well
    // under what grpc-js alone would buffer (16 chunks each: 480 MiB).
    expect(grown).toBeLessThan(200 * MiB);
    for (const s of streams) s.call.cancel();
    await eventually(async () => expect(await active(hub)).toBe(0));
    client.close();
  });
});

describe('content streams (defaults, stall after 2 s)', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startHub({ env: { FLOTILLA_STREAM_STALL_SECONDS: '2' } });
  });
  afterAll(async () => {
    await hub?.dispose();
  });

  it('refuses a fifth concurrent content stream of one cluster with RESOURCE_EXHAUSTED, and frees the slots when streams end', async () => {
    const { reg, revision } = await clusterWithBigBundle(hub);
    const client = agentClient(hub);
    const four = Array.from({ length: 4 }, () => pausedContent(client, reg.credential, revision));
    expect((await Promise.all(four.map((s) => s.first))).every(Boolean)).toBe(true);
    const fifth = pausedContent(client, reg.credential, revision);
    const refused = await fifth.ended;
    expect(refused).toMatchObject({ code: status.RESOURCE_EXHAUSTED, reason: 'TooManyStreams' });
    expect(refused.details).toContain('limit 4');
    expect(await dropped(hub, 'GetBundleContent', 'limit')).toBe(1);
    for (const s of four) s.call.cancel();
    const again = pausedContent(client, reg.credential, revision);
    await eventually(async () => {
      // Cancellation reaches the hub asynchronously: a retry succeeds once it has.
      const retry = pausedContent(client, reg.credential, revision);
      expect(await retry.first).toBe(true);
      retry.call.cancel();
    });
    again.call.cancel();
    client.close();
  });

  it('drops a content stream whose agent reads nothing for the stall time, with a status saying so', async () => {
    const { reg, revision } = await clusterWithBigBundle(hub);
    const client = agentClient(hub);
    const s = pausedContent(client, reg.credential, revision);
    expect(await s.first).toBe(true);
    await eventually(async () => expect(await dropped(hub, 'GetBundleContent', 'stalled')).toBe(1), { timeoutMs: 15_000 });
    await eventually(async () => expect(await active(hub)).toBe(0));
    s.call.on('data', () => undefined);
    s.call.resume(); // the status comes after what was already sent
    const end = await s.ended;
    expect(end).toMatchObject({ code: status.RESOURCE_EXHAUSTED, reason: 'StreamStalled' });
    expect(end.details).toContain('read nothing for 2 s');
    expect(hub.logs()).toContain('dropped: the agent read nothing');
    client.close();
  });
});

describe('Watch streams', () => {
  let hub: TestHub;
  beforeAll(async () => {
    // Every change its own state (no coalescing interval): these tests need a stream with many states to send.
    hub = await startHub({ env: { FLOTILLA_STREAM_STALL_SECONDS: '4', FLOTILLA_DESIRED_STATE_MIN_INTERVAL_MS: '0' } });
  });
  afterAll(async () => {
    await hub?.dispose();
  });

  async function cluster() {
    const env = `w-${rand()}`;
    const token = (await hub.api('POST', '/api/v1/registration-tokens', { labels: { env } })).body.token;
    return { env, reg: await register(hub, { token, identity: env }) };
  }

  /** Puts `count` bundles, one after the other, each changing the cluster's desired state. */
  async function churn(env: string, count: number) {
    for (let i = 0; i < count; i++) {
      const put = await hub.api('PUT', `/api/v1/bundles/${env}-${i}`, {
        resources: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}` }, data: { v: 'x'.repeat(2000) } }],
        targets: [{ clusterSelector: { matchLabels: { env } } }],
        // Large options make each desired state large, so a reader that does not read fills HTTP/2's windows fast.
        options: { comparePatches: Array.from({ length: 20 }, (_, p) => ({ kind: 'ConfigMap', name: `cm-${p}`, jsonPointers: [`/data/${'k'.repeat(200)}${p}`] })) },
      });
      expect(put.status).toBe(201);
    }
  }

  it('keeps at most two streams per cluster: a newer one replaces the oldest', async () => {
    const { reg } = await cluster();
    const streams = [];
    for (let i = 0; i < 4; i++) {
      const w = watch(hub, reg.credential);
      await eventually(() => expect(w.events.some((e) => e.event?.$case === 'session')).toBe(true));
      streams.push(w);
    }
    for (const old of streams.slice(0, 2)) {
      const end = await old.ended;
      expect(end.code).toBe(status.UNAVAILABLE);
      expect(end.details).toContain('replaced by a newer Watch stream');
    }
    expect(await metric(hub, /^flotilla_agent_streams_open (\d+)/m)).toBe(2);
    for (const w of streams.slice(2)) w.cancel();
  });

  it('a stream that does not read gets only the newest state when it reads again, not every one in between', async () => {
    const { env, reg } = await cluster();
    const client = agentClient(hub);
    const call: ClientReadableStream<WatchResponse> = client.watch({ agentVersion: 'test', knownGeneration: '' }, credentialMetadata(reg.credential));
    const received: WatchResponse[] = [];
    call.on('error', () => undefined);
    await new Promise<void>((resolve) => call.once('data', (m: WatchResponse) => (received.push(m), call.pause(), resolve())));
    await churn(env, 60);
    await new Promise((r) => setTimeout(r, 1000));
    call.on('data', (m: WatchResponse) => received.push(m));
    call.resume();
    await eventually(() => expect(latestDesired({ events: received } as never)?.deployments).toHaveLength(60));
    const states = received.filter((m) => m.event?.$case === 'desiredState').length;
    // What the client's own buffer (16 messages) and HTTP/2's window took before the hub saw the pause, one in
    // flight, the newest waiting: about 20 of the 60, where writing every state would deliver all 60.
    expect(states).toBeLessThan(40);
    call.cancel();
    client.close();
  });

  it('drops a Watch whose agent reads nothing for the stall time with RESOURCE_EXHAUSTED', async () => {
    const { env, reg } = await cluster();
    const client = agentClient(hub);
    const call = client.watch({ agentVersion: 'test', knownGeneration: '' }, credentialMetadata(reg.credential));
    const ended = new Promise<ServiceError>((resolve) => call.on('error', resolve));
    await new Promise<void>((resolve) => call.once('data', () => (call.pause(), resolve())));
    await churn(env, 30);
    await eventually(async () => expect(await dropped(hub, 'Watch', 'stalled')).toBe(1), { timeoutMs: 20_000 });
    await eventually(async () => expect(await metric(hub, /^flotilla_agent_streams_open (\d+)/m)).toBe(0));
    call.on('data', () => undefined);
    call.resume();
    const end = await ended;
    expect(end.code).toBe(status.RESOURCE_EXHAUSTED);
    expect(end.details).toContain('read nothing for 4 s');
    client.close();
  });
});
