import { DeploymentState } from '@flotilla/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latestDesired, register, reportStatus, watch } from '../support/agent-client.ts';
import { query } from '../support/database.ts';
import { eventually } from '../support/eventually.ts';
import { startHub, type TestHub } from '../support/hub.ts';

/** Issue 8: a report that changes nothing writes nothing (idle clusters re-report every minute). */
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
});
