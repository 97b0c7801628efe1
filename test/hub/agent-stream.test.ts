import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { status } from '@grpc/grpc-js';
import { grpcFailure, heartbeat, register, reportStatus, secretOf, watch } from '../support/agent-client.ts';
import { eventually } from '../support/eventually.ts';
import { startHub, type TestHub } from '../support/hub.ts';

let hub: TestHub;
let token: string;
beforeAll(async () => {
  hub = await startHub();
  token = (await hub.api('POST', '/api/v1/registration-tokens', {})).body.token;
});
afterAll(async () => {
  await hub?.dispose();
});

const uid = () => `uid-${Math.random().toString(36).slice(2)}`;

describe('agent API over TLS', () => {
  it('drives Register → Watch → ReportStatus → Heartbeat on a real socket', async () => {
    const reg = await register(hub, { token, identity: uid(), labels: { env: 'prod' } });
    const stream = watch(hub, reg.credential);
    await eventually(() => expect(stream.events.length).toBeGreaterThanOrEqual(2));
    expect(stream.events[0]!.event).toEqual({
      $case: 'session',
      value: { clusterId: reg.clusterId, clusterName: reg.clusterName, heartbeatIntervalSeconds: 0 },
    });
    const desired = stream.events[1]!.event;
    expect(desired?.$case).toBe('desiredState');
    expect(desired?.$case === 'desiredState' && desired.value.deployments).toEqual([]);
    await eventually(async () => expect((await hub.api('GET', `/api/v1/clusters/${reg.clusterId}`)).body.connection).toBe('online'));

    // Statuses for deployments the cluster does not have are ignored, not stored.
    const report = await reportStatus(hub, reg.credential, [{ deploymentId: 'not-mine', appliedRevision: '', state: 1, reason: '', message: '', resources: [] }]);
    expect(report.accepted).toBe(0);
    await expect(heartbeat(hub, reg.credential)).resolves.toEqual({ heartbeatIntervalSeconds: 30 });
    stream.cancel();
  });

  it('does not resend a desired state the agent already holds', async () => {
    const reg = await register(hub, { token, identity: uid() });
    const first = watch(hub, reg.credential);
    await eventually(() => expect(first.events).toHaveLength(2));
    const generation = first.events[1]!.event?.$case === 'desiredState' ? first.events[1]!.event.value.generation : '';
    first.cancel();
    const second = watch(hub, reg.credential, generation);
    await eventually(() => expect(second.events).toHaveLength(1));
    expect(second.events[0]!.event?.$case).toBe('session');
    second.cancel();
  });

  it('rejects calls without, or with a malformed, credential', async () => {
    const missing = watch(hub, '');
    expect(await missing.ended).toMatchObject({ code: status.UNAUTHENTICATED, reason: 'ClusterCredentialMissing' });
    const garbage = await grpcFailure(heartbeat(hub, 'flt_cl_nope'));
    expect(garbage).toMatchObject({ code: status.UNAUTHENTICATED, reason: 'ClusterCredentialInvalid' });
  });

  it('scopes a credential to its own cluster: A cannot act as B', async () => {
    const a = await register(hub, { token, identity: uid() });
    const b = await register(hub, { token, identity: uid() });
    // A's secret with B's id: the id in the credential is what selects the cluster.
    const forged = `flt_cl_${b.clusterId}_${secretOf(a.credential)}`;
    expect(await grpcFailure(heartbeat(hub, forged))).toMatchObject({ code: status.UNAUTHENTICATED });
    const forgedWatch = watch(hub, forged);
    expect((await forgedWatch.ended).code).toBe(status.UNAUTHENTICATED);
    // A's own stream only ever describes A.
    const own = watch(hub, a.credential);
    await eventually(() => expect(own.events.length).toBeGreaterThan(0));
    expect(own.events[0]!.event?.$case === 'session' && own.events[0]!.event.value.clusterId).toBe(a.clusterId);
    own.cancel();
  });

  it('closes an open stream within 5 s of revocation, and the credential stops working', async () => {
    const reg = await register(hub, { token, identity: uid() });
    const stream = watch(hub, reg.credential);
    await eventually(() => expect(stream.events.length).toBeGreaterThan(0));
    const started = Date.now();
    expect((await hub.api('POST', `/api/v1/clusters/${reg.clusterId}/revoke`)).body.connection).toBe('revoked');
    const ended = await stream.ended;
    expect(ended.code).toBe(status.UNAUTHENTICATED);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await grpcFailure(heartbeat(hub, reg.credential))).toMatchObject({ reason: 'ClusterCredentialInvalid' });
  });

  it('closes the stream of a deregistered cluster', async () => {
    const reg = await register(hub, { token, identity: uid() });
    const stream = watch(hub, reg.credential);
    await eventually(() => expect(stream.events.length).toBeGreaterThan(0));
    expect((await hub.api('DELETE', `/api/v1/clusters/${reg.clusterId}`)).status).toBe(204);
    expect((await stream.ended).code).toBe(status.UNAUTHENTICATED);
  });

  it('re-registration (with a token bound to the cluster) rotates the credential: the old stream closes, the new one works', async () => {
    const identity = uid();
    const first = await register(hub, { token, identity });
    const oldStream = watch(hub, first.credential);
    await eventually(() => expect(oldStream.events.length).toBeGreaterThan(0));
    const bound = (await hub.api('POST', '/api/v1/registration-tokens', { clusterId: first.clusterId })).body.token;
    const second = await register(hub, { token: bound, identity });
    expect(second.clusterId).toBe(first.clusterId);
    expect(second.credential).not.toBe(first.credential);
    expect((await oldStream.ended).code).toBe(status.UNAUTHENTICATED);
    await expect(heartbeat(hub, second.credential)).resolves.toBeDefined();
    expect(await grpcFailure(heartbeat(hub, first.credential))).toMatchObject({ code: status.UNAUTHENTICATED });
  });

  it('rejects a malformed status report naming the field', async () => {
    const reg = await register(hub, { token, identity: uid() });
    const failure = await grpcFailure(
      reportStatus(hub, reg.credential, [{ deploymentId: '', appliedRevision: '', state: 1, reason: '', message: '', resources: [] }]),
    );
    expect(failure.code).toBe(status.INVALID_ARGUMENT);
    expect(failure.details).toContain('deployments[0].deployment_id');
    const badState = await grpcFailure(
      reportStatus(hub, reg.credential, [{ deploymentId: 'd', appliedRevision: '', state: 42, reason: '', message: '', resources: [] }]),
    );
    expect(badState.details).toContain('deployments[0].state');
  });
});
