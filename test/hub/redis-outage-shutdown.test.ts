import { stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { eventually } from '../support/eventually.ts';
import { startHub, type TestHub } from '../support/hub.ts';
import { startRedisServer, type TestRedis } from '../support/redis-server.ts';

/**
 * Issue 9 (item 8): a hub asked to stop while Redis is down stops. BullMQ's
 * graceful worker close waits for Redis; the hub used to need the SIGKILL
 * that TestHub.stop() sends after 10 s (Kubernetes: after the grace period).
 */
let redis: TestRedis;
let hub: TestHub;

beforeAll(async () => {
  redis = await startRedisServer();
  hub = await startHub({ env: { REDIS_URL: redis.url } });
});

afterAll(async () => {
  await hub?.dispose();
  await redis?.stop();
});

it('stops within a few seconds on SIGTERM while Redis is down', async () => {
  await redis.stop();
  await eventually(() => expect(stripVTControlCharacters(hub.logs())).toMatch(/redis unavailable/), { timeoutMs: 10_000 });
  const started = Date.now();
  await hub.stop();
  expect(Date.now() - started).toBeLessThan(5_000);
});
