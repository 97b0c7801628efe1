import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.ts';
import { createRepo, type TestRepo } from '../support/git-server.ts';
import { startHub, type TestHub } from '../support/hub.ts';

/**
 * GitRepo polling is scheduled from PostgreSQL (issue #11): a new commit is
 * picked up by the poll alone, and still after a hub restart with Redis
 * flushed (every queued job lost).
 */
let hub: TestHub;
let repo: TestRepo;

beforeAll(async () => {
  repo = await createRepo();
  await repo.writeFiles({ 'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: s\ndata:\n  v: "1"\n' });
  await repo.commit('one');
  hub = await startHub();
}, 120_000);
afterAll(async () => {
  await hub?.dispose();
  await repo?.dispose();
});

const commitOf = async () => (await hub.api('GET', '/api/v1/gitrepos/sched')).body.status.commit?.sha;

async function flushRedis(prefix: string): Promise<number> {
  const redis = new Redis('redis://127.0.0.1:6379');
  try {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    return keys.length;
  } finally {
    redis.disconnect();
  }
}

describe('GitRepo polling', () => {
  it('follows new commits by polling alone, also after a restart with Redis flushed', { timeout: 120_000 }, async () => {
    await hub.api('PUT', '/api/v1/gitrepos/sched', { repo: repo.fileUrl, branch: 'main', targets: [], pollingInterval: 5 });
    const one = await repo.git('rev-parse', 'HEAD');
    await eventually(async () => expect(await commitOf()).toBe(one));

    await repo.writeFiles({ 'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: s\ndata:\n  v: "2"\n' });
    const two = await repo.commit('two');
    const t0 = Date.now();
    await eventually(async () => expect(await commitOf()).toBe(two), { timeoutMs: 15_000 });
    // Within one polling interval (5 s) and a scheduler tick.
    expect(Date.now() - t0).toBeLessThan(8_000);

    await hub.stop();
    expect(await flushRedis(hub.redisPrefix)).toBeGreaterThan(0);
    await repo.writeFiles({ 'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: s\ndata:\n  v: "3"\n' });
    const three = await repo.commit('three');
    await hub.start();
    await eventually(async () => expect(await commitOf()).toBe(three), { timeoutMs: 20_000 });
  });
});
