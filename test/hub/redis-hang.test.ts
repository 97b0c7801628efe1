import { stripVTControlCharacters } from 'node:util';
import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grpcFailure, heartbeat, register } from '../support/agent-client.ts';
import { eventually } from '../support/eventually.ts';
import { startHub, type TestHub } from '../support/hub.ts';
import { startRedisServer, type TestRedis } from '../support/redis-server.ts';

/**
 * Issue 9 (item 8), the other way Redis fails: it keeps its connections open
 * but stops answering (SIGSTOP; a stuck or overloaded server, a network that
 * drops packets). Nothing waits for it, each replica notices within its
 * liveness probe, and a replica that cannot trust its event subscription stops
 * trusting its credential cache: a credential revoked on another replica is
 * rejected at once, not after the cache's 60 s.
 */
const ANSWER_MS = 3_000;
/** Liveness probe: a PING every 5 s that must answer within 1 s, twice missed in a row (RedisHealth). */
const DETECT_MS = 2 * 5_000 + 1_000 + 2_000;

let redis: TestRedis;
let one: TestHub;
let two: TestHub;
let token: string;
const id = Math.random().toString(36).slice(2, 8);
let cluster: { clusterId: string; credential: string };
const plainLogs = (hub: TestHub) => stripVTControlCharacters(hub.logs());

beforeAll(async () => {
  redis = await startRedisServer();
  one = await startHub({ env: { REDIS_URL: redis.url } });
  two = await startHub({ env: { REDIS_URL: redis.url }, database: one.database, redisPrefix: one.redisPrefix });
  token = (await one.api('POST', '/api/v1/registration-tokens', {})).body.token;
  cluster = await register(one, { token, identity: `hang-${id}` });
  // Replica one now holds the credential in its cache.
  await heartbeat(one, cluster.credential);
  await heartbeat(one, cluster.credential);
});

afterAll(async () => {
  redis?.resume();
  await two?.stop();
  await one?.dispose();
  await redis?.stop();
});

async function within<T>(ms: number, what: string, call: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([call(), late]);
  } finally {
    clearTimeout(timer);
  }
}

describe('while Redis accepts connections but does not answer', () => {
  beforeAll(() => {
    redis.pause();
  });

  it('PUT bundle and PATCH cluster answer at once', async () => {
    const put = await within(ANSWER_MS, 'PUT bundle', () => one.api('PUT', `/api/v1/bundles/hang-${id}`, { resources: [], targets: [], options: { allowEmpty: true } }));
    expect(put.status).toBe(201);
    const patch = await within(ANSWER_MS, 'PATCH cluster', () => one.api('PATCH', `/api/v1/clusters/${cluster.clusterId}`, { labels: { hang: 'yes' } }));
    expect(patch.status).toBe(200);
  });

  it('/readyz answers 503 within 3 s', async () => {
    expect((await within(ANSWER_MS, '/readyz', () => one.api('GET', '/readyz', undefined, null))).status).toBe(503);
  });

  it('rejects on one replica a credential revoked on the other within the detection bound (not after the cache TTL)', async () => {
    const revoke = await within(ANSWER_MS, 'revoke', () => two.api('POST', `/api/v1/clusters/${cluster.clusterId}/revoke`));
    expect(revoke.status).toBe(200);
    await eventually(
      async () => expect(await grpcFailure(heartbeat(one, cluster.credential))).toMatchObject({ code: status.UNAUTHENTICATED, reason: 'ClusterCredentialInvalid' }),
      { timeoutMs: DETECT_MS, description: 'revoked credential rejected by replica one' },
    );
  });

  it('logs the outage once on each replica, naming the probe that failed', async () => {
    await eventually(() => expect(plainLogs(one)).toMatch(/redis unavailable \{ error: '.*PING not answered within 1000 ms, 2 times in a row/), { timeoutMs: DETECT_MS });
    await eventually(() => expect(plainLogs(two)).toMatch(/redis unavailable/), { timeoutMs: DETECT_MS });
    expect(plainLogs(one).split('\n').filter((line) => /redis unavailable/.test(line))).toHaveLength(1);
  });
});

describe('after Redis answers again', () => {
  beforeAll(() => {
    redis.resume();
  });

  it('logs the recovery once and is ready again', async () => {
    await eventually(() => expect(plainLogs(one)).toMatch(/redis available again \{ downSeconds: /), { timeoutMs: DETECT_MS });
    expect(plainLogs(one).split('\n').filter((line) => /redis unavailable/.test(line))).toHaveLength(1);
    await eventually(async () => expect((await one.api('GET', '/readyz', undefined, null)).status).toBe(200), { timeoutMs: 10_000 });
  });
});
