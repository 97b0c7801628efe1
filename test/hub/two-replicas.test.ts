import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latestDesired, register, watch } from '../support/agent-client.ts';
import { eventually } from '../support/eventually.ts';
import { startHub, type TestHub } from '../support/hub.ts';

/**
 * Two hub processes on one PostgreSQL and one Redis (issue 8): agents on
 * either, a change made through one reaches streams on both, and revoking a
 * cluster on one cuts its stream on the other through pub/sub (the periodic
 * re-checks are set far beyond the test's waits, so only the event can do it).
 */
let a: TestHub;
let b: TestHub;
beforeAll(async () => {
  const env = { FLOTILLA_STREAM_RECHECK_SECONDS: '600', FLOTILLA_DESIRED_STATE_RECHECK_SECONDS: '600' };
  a = await startHub({ env });
  b = await startHub({ env, database: a.database, redisPrefix: a.redisPrefix });
});
afterAll(async () => {
  await b?.stop();
  await a?.dispose();
});

const uid = () => `uid-${Math.random().toString(36).slice(2)}`;

describe('two hub replicas', () => {
  it('delivers a bundle change made on one replica to clusters on both, and revocation on one cuts a stream on the other', async () => {
    const env = `rep-${Math.random().toString(36).slice(2, 8)}`;
    const token = (await a.api('POST', '/api/v1/registration-tokens', { labels: { env } })).body.token;
    const onA = await register(a, { token, identity: uid() });
    const onB = await register(b, { token, identity: uid() });
    const streamA = watch(a, onA.credential);
    const streamB = watch(b, onB.credential);
    await eventually(() => expect([latestDesired(streamA), latestDesired(streamB)]).not.toContain(undefined));

    const put = await a.api('PUT', `/api/v1/bundles/${env}`, {
      resources: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: env, namespace: 'default' }, data: { k: 'v' } }],
      targets: [{ clusterSelector: { matchLabels: { env } } }],
    });
    expect(put.status).toBe(201);
    for (const stream of [streamA, streamB]) {
      await eventually(() => expect(latestDesired(stream)!.deployments.map((d) => d.revision)).toEqual([put.body.revision]), { timeoutMs: 10_000 });
    }

    const revokedAt = Date.now();
    expect((await a.api('POST', `/api/v1/clusters/${onB.clusterId}/revoke`)).status).toBe(200);
    expect(await streamB.ended).toMatchObject({ code: status.UNAUTHENTICATED });
    expect(Date.now() - revokedAt).toBeLessThan(5_000);
    // The other cluster's stream on replica A is untouched.
    expect(await Promise.race([streamA.ended, new Promise((r) => setTimeout(() => r('open'), 300))])).toBe('open');
    streamA.cancel();
  });
});
