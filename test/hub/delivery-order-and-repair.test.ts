import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latestDesired, register, watch } from '../support/agent-client.ts';
import { query } from '../support/database.ts';
import { eventually } from '../support/eventually.ts';
import { startHub, type TestHub } from '../support/hub.ts';

/**
 * Issue 8: desired-state refreshes of a stream are ordered by a generation
 * that only grows, and a change whose pub/sub event was lost still reaches
 * the stream within the re-check bound (FLOTILLA_DESIRED_STATE_RECHECK_SECONDS).
 */
const RECHECK_SECONDS = 2;
let hub: TestHub;
let token: string;
beforeAll(async () => {
  hub = await startHub({ env: { FLOTILLA_DESIRED_STATE_RECHECK_SECONDS: String(RECHECK_SECONDS) } });
  token = (await hub.api('POST', '/api/v1/registration-tokens', {})).body.token;
});
afterAll(async () => {
  await hub?.dispose();
});

const uid = () => `uid-${Math.random().toString(36).slice(2)}`;
const configMap = (name: string, data: Record<string, string>) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data });
const generations = (stream: ReturnType<typeof watch>) =>
  stream.events.flatMap((e) => (e.event?.$case === 'desiredState' ? [Number(e.event.value.generation)] : []));

describe('desired-state delivery', () => {
  it('sends strictly increasing generations and ends at the latest state when many changes race', async () => {
    const env = `order-${Math.random().toString(36).slice(2, 8)}`;
    const reg = await register(hub, { token, identity: uid(), labels: { env } });
    const stream = watch(hub, reg.credential);
    await eventually(() => expect(latestDesired(stream)).toBeDefined());
    const targets = [{ clusterSelector: { matchLabels: { env } } }];
    // 8 bundles, each changed 3 times, all at once: fan-outs and refreshes interleave.
    await Promise.all(
      Array.from({ length: 8 }, async (_, b) => {
        for (let v = 0; v < 3; v++) {
          const put = await hub.api('PUT', `/api/v1/bundles/${env}-${b}`, { resources: [configMap(`${env}-${b}`, { v: String(v) })], targets });
          expect(put.status).toBeLessThan(300);
        }
      }),
    );
    const final = await Promise.all(Array.from({ length: 8 }, async (_, b) => (await hub.api('GET', `/api/v1/bundles/${env}-${b}`)).body.revision));
    await eventually(() => {
      const latest = latestDesired(stream)!;
      expect(latest.deployments.map((d) => d.revision).sort()).toEqual([...final].sort());
    });
    const seen = generations(stream);
    expect(seen.length).toBeGreaterThan(1);
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThan(seen[i - 1]!);
    stream.cancel();
  });

  it('repairs a change whose event was lost within the re-check bound', async () => {
    const reg = await register(hub, { token, identity: uid() });
    const stream = watch(hub, reg.credential);
    await eventually(() => expect(latestDesired(stream)).toBeDefined());
    const before = latestDesired(stream)!;
    expect(before.deployments).toEqual([]);
    // A bundle that targets no cluster, so nothing publishes an event for this one...
    const name = `lost-${Math.random().toString(36).slice(2, 8)}`;
    const put = await hub.api('PUT', `/api/v1/bundles/${name}`, { resources: [configMap(name, { a: '1' })], targets: [] });
    expect(put.status).toBe(201);
    // The bundle's and the new cluster's own fan-outs must be done first: either, run after the
    // insert below, would rightly remove a deployment its targets do not ask for.
    await eventually(async () => {
      const pending = await query(hub.database.url, `
        SELECT (SELECT count(*) FROM bundles WHERE name = $1 AND fanout_requested_at IS NOT NULL)
             + (SELECT count(*) FROM clusters WHERE id = $2::uuid AND fanout_requested_at IS NOT NULL) AS n`, [name, reg.clusterId]);
      expect(Number(pending[0]!.n)).toBe(0);
    }, { timeoutMs: 30_000 });
    // ...then exactly what a fan-out transaction commits, with its publish lost.
    await query(hub.database.url, `
      WITH d AS (INSERT INTO deployments (id, bundle_id, cluster_id, desired_revision, staged_revision, updated_at)
                 SELECT gen_random_uuid(), id, $1::uuid, revision_id, revision_id, now() FROM bundles WHERE name = $2 RETURNING cluster_id)
      UPDATE cluster_generations SET generation = generation + 1 WHERE cluster_id IN (SELECT cluster_id FROM d)`, [reg.clusterId, name]);
    const lostAt = Date.now();
    await eventually(() => expect(latestDesired(stream)!.deployments.map((d) => d.bundleName)).toEqual([name]), { timeoutMs: RECHECK_SECONDS * 3 * 1000 });
    const repairedIn = Date.now() - lostAt;
    expect(repairedIn).toBeLessThanOrEqual(RECHECK_SECONDS * 1000 + 3000);
    expect(Number(latestDesired(stream)!.generation)).toBeGreaterThan(Number(before.generation));
    const metrics = (await hub.api('GET', '/metrics')).body as string;
    expect(metrics).toMatch(/^flotilla_desired_state_repairs_total [1-9]/m);
    stream.cancel();
  });
});
