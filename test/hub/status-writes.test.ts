import { DeploymentState } from '@flotilla/proto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latestDesired, register, reportStatus, watch } from '../support/agent-client.ts';
import { query } from '../support/database.ts';
import { eventually } from '../support/eventually.ts';
import { startHub, type TestHub } from '../support/hub.ts';

/**
 * Issue 8: a report that changes nothing writes nothing (idle clusters re-report every minute); reports of many
 * clusters that arrive together are written together, each only to its own cluster's deployments.
 */
let hub: TestHub;
beforeAll(async () => {
  hub = await startHub();
});
afterAll(async () => {
  await hub?.dispose();
});

describe('status reports', () => {
  it('write a deployment row only when its status changes', async () => {
    const env = `sw-${Math.random().toString(36).slice(2, 8)}`;
    const token = (await hub.api('POST', '/api/v1/registration-tokens', { labels: { env } })).body.token;
    const reg = await register(hub, { token, identity: `${env}-1` });
    const stream = watch(hub, reg.credential);
    const put = await hub.api('PUT', `/api/v1/bundles/${env}`, {
      resources: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: env, namespace: 'default' }, data: { a: '1' } }],
      targets: [{ clusterSelector: { matchLabels: { env } } }],
    });
    await eventually(() => expect(latestDesired(stream)?.deployments).toHaveLength(1));
    const deploymentId = latestDesired(stream)!.deployments[0]!.deploymentId;
    const resource = { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default', name: env, state: DeploymentState.DEPLOYMENT_STATE_READY, message: '', diffs: [] };
    const ready = { deploymentId, appliedRevision: put.body.revision, state: DeploymentState.DEPLOYMENT_STATE_READY, reason: '', message: '', resources: [resource] };
    const rowVersion = async () => (await query<{ xmin: string }>(hub.database.url, 'SELECT xmin::text FROM deployments WHERE id = $1', [deploymentId]))[0]!.xmin;

    expect((await reportStatus(hub, reg.credential, [ready])).accepted).toBe(1);
    const afterFirst = await rowVersion();
    expect((await hub.api('GET', `/api/v1/deployments/${deploymentId}`)).body).toMatchObject({ state: 'Ready', appliedRevision: put.body.revision });

    // The same report again, three times: accepted, but the row is not rewritten.
    for (let i = 0; i < 3; i++) expect((await reportStatus(hub, reg.credential, [ready])).accepted).toBe(1);
    expect(await rowVersion()).toBe(afterFirst);
    const metrics = (await hub.api('GET', '/metrics')).body as string;
    expect(metrics).toMatch(/^flotilla_status_reports_total\{result="unchanged"\} 3$/m);

    // A change is written.
    await reportStatus(hub, reg.credential, [{ ...ready, state: DeploymentState.DEPLOYMENT_STATE_NOT_READY, message: 'pods starting' }]);
    expect(await rowVersion()).not.toBe(afterFirst);
    expect((await hub.api('GET', `/api/v1/deployments/${deploymentId}`)).body).toMatchObject({ state: 'NotReady', message: 'pods starting' });
    stream.cancel();
  });

  it('stores the report after a bundle went to another revision and back (the old report hash no longer counts)', async () => {
    const env = `sw-${Math.random().toString(36).slice(2, 8)}`;
    const token = (await hub.api('POST', '/api/v1/registration-tokens', { labels: { env } })).body.token;
    const reg = await register(hub, { token, identity: `${env}-1` });
    const stream = watch(hub, reg.credential);
    const body = (v: string) => ({
      resources: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: env, namespace: 'default' }, data: { v } }],
      targets: [{ clusterSelector: { matchLabels: { env } } }],
    });
    const v1 = (await hub.api('PUT', `/api/v1/bundles/${env}`, body('1'))).body.revision;
    await eventually(() => expect(latestDesired(stream)?.deployments[0]?.revision).toBe(v1));
    const deploymentId = latestDesired(stream)!.deployments[0]!.deploymentId;
    const ready = { deploymentId, appliedRevision: v1, state: DeploymentState.DEPLOYMENT_STATE_READY, reason: '', message: '', resources: [] };
    await reportStatus(hub, reg.credential, [ready]);
    const v2 = (await hub.api('PUT', `/api/v1/bundles/${env}`, body('2'))).body.revision;
    await eventually(() => expect(latestDesired(stream)?.deployments[0]?.revision).toBe(v2));
    await hub.api('PUT', `/api/v1/bundles/${env}`, body('1'));
    await eventually(() => expect(latestDesired(stream)?.deployments[0]?.revision).toBe(v1));
    expect((await hub.api('GET', `/api/v1/deployments/${deploymentId}`)).body.state).toBe('WaitApplied');
    // The agent still runs v1 and says so, exactly as before.
    await reportStatus(hub, reg.credential, [ready]);
    expect((await hub.api('GET', `/api/v1/deployments/${deploymentId}`)).body.state).toBe('Ready');
    stream.cancel();
  });

  it('writes the reports that arrive while a write runs together, each only to its own cluster’s deployments', async () => {
    const env = `sw-${Math.random().toString(36).slice(2, 8)}`;
    const token = (await hub.api('POST', '/api/v1/registration-tokens', { labels: { env }, maxUses: 12 })).body.token;
    const clusters = [];
    for (let i = 0; i < 12; i++) {
      const reg = await register(hub, { token, identity: `${env}-${i}` });
      clusters.push({ reg, stream: watch(hub, reg.credential) });
    }
    const put = await hub.api('PUT', `/api/v1/bundles/${env}`, {
      resources: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: env, namespace: 'default' }, data: { a: '1' } }],
      targets: [{ clusterSelector: { matchLabels: { env } } }],
    });
    for (const c of clusters) await eventually(() => expect(latestDesired(c.stream)?.deployments).toHaveLength(1));
    const ids = clusters.map((c) => latestDesired(c.stream)!.deployments[0]!.deploymentId);
    const report = (deploymentId: string, message: string) => ({
      deploymentId,
      appliedRevision: put.body.revision,
      state: DeploymentState.DEPLOYMENT_STATE_NOT_READY,
      reason: '',
      message,
      resources: [],
    });
    const batches = async () => Number(/^flotilla_status_write_batches_total (\d+)$/m.exec((await hub.api('GET', '/metrics')).body as string)?.[1]);
    const before = await batches();

    // Hold the first cluster's row: its write waits on the lock, and every report sent meanwhile queues behind it.
    const lock = new pg.Client({ connectionString: hub.database.url });
    await lock.connect();
    try {
      await lock.query('BEGIN');
      await lock.query('SELECT 1 FROM deployments WHERE id = $1 FOR UPDATE', [ids[0]]);
      const first = reportStatus(hub, clusters[0]!.reg.credential, [report(ids[0]!, 'own 0')]);
      await eventually(async () => {
        const waiting = await query<{ n: number }>(hub.database.url, `SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%UPDATE deployments%'`);
        expect(waiting[0]!.n).toBe(1);
      });
      // Cluster 1 also names cluster 2's deployment: within a batch too, a cluster writes only its own.
      const rest = clusters.slice(1).map((c, i) =>
        reportStatus(hub, c.reg.credential, i === 0 ? [report(ids[1]!, 'own 1'), report(ids[2]!, 'forged by 1')] : [report(ids[i + 1]!, `own ${i + 1}`)]),
      );
      await new Promise((r) => setTimeout(r, 500));
      await lock.query('COMMIT');
      expect((await first).accepted).toBe(1);
      const accepted = (await Promise.all(rest)).map((r) => r.accepted);
      expect(accepted).toEqual([1, ...Array(10).fill(1)]);
    } finally {
      await lock.end();
    }
    expect((await batches()) - before).toBe(2);
    const rows = await query<{ id: string; message: string }>(hub.database.url, 'SELECT id::text, message FROM deployments WHERE id = ANY($1::uuid[])', [ids]);
    const byId = new Map(rows.map((r) => [r.id, r.message]));
    expect(ids.map((id) => byId.get(id))).toEqual(ids.map((_, i) => `own ${i}`));
    for (const c of clusters) c.stream.cancel();
  });
});
