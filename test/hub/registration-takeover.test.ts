/**
 * Issue #9 item 1: a cluster's identity (its kube-system UID) is not a secret,
 * so presenting it must not be enough to take the cluster over. Re-attaching
 * an existing identity needs a registration token bound to that cluster.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { status } from '@grpc/grpc-js';
import { grpcFailure, heartbeat, latestDesired, register, secretOf, watch } from '../support/agent-client.ts';
import { query } from '../support/database.ts';
import { eventually } from '../support/eventually.ts';
import { startHub, type TestHub } from '../support/hub.ts';

let hub: TestHub;
beforeAll(async () => {
  hub = await startHub();
});
afterAll(async () => {
  await hub?.dispose();
});

const uid = () => `uid-${Math.random().toString(36).slice(2)}`;
const rand = () => Math.random().toString(36).slice(2, 8);

async function createToken(body: object = {}): Promise<{ id: string; token: string; clusterId: string | null }> {
  const res = await hub.api('POST', '/api/v1/registration-tokens', body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

async function tokenUses(id: string): Promise<number> {
  const [row] = await query<{ uses: number }>(hub.database.url, 'SELECT uses FROM registration_tokens WHERE id = $1', [id]);
  return row!.uses;
}

async function clusterRow(id: string) {
  const [row] = await query<{ labels: Record<string, string>; credential_hash: string | null; connection: string; registration_token_id: string }>(
    hub.database.url,
    'SELECT labels, credential_hash, connection, registration_token_id FROM clusters WHERE id = $1',
    [id],
  );
  return row;
}

async function metric(line: RegExp): Promise<number> {
  const text = (await hub.api('GET', '/metrics', undefined, null)).body as string;
  return Number(line.exec(text)?.[1] ?? 0);
}
const refusedMetric = (reason: string) => metric(new RegExp(`^flotilla_registration_refused_total\\{reason="${reason}"\\} (\\d+)`, 'm'));
const registrationsMetric = (result: string) => metric(new RegExp(`^flotilla_registrations_total\\{result="${result}"\\} (\\d+)`, 'm'));

describe('re-attaching an existing identity', () => {
  it('refuses an unbound token with another cluster\'s identity: the victim keeps its stream, labels and credential; no use is spent; it is counted and logged', async () => {
    const env = `victim-${rand()}`;
    const victimToken = await createToken({ labels: { env } });
    const identity = uid();
    const victim = await register(hub, { token: victimToken.token, identity, name: `victim-${rand()}` });
    const stream = watch(hub, victim.credential);
    let ended = false;
    void stream.ended.then(() => (ended = true));
    await eventually(() => expect(latestDesired(stream)).toBeDefined());
    await eventually(async () => expect((await clusterRow(victim.clusterId))!.connection).toBe('online'));
    const before = await clusterRow(victim.clusterId);
    const [refusedBefore, registrationsBefore] = [await refusedMetric('ClusterIdentityTaken'), await registrationsMetric('ClusterIdentityTaken')];

    const attacker = await createToken({ labels: { team: 'attacker' }, maxUses: 5 });
    const failure = await grpcFailure(register(hub, { token: attacker.token, identity, labels: { owner: 'attacker' } }));

    expect(failure).toMatchObject({ code: status.ALREADY_EXISTS, reason: 'ClusterIdentityTaken' });
    expect(failure.details).toContain(`ask the platform team for a registration token issued for cluster ${victim.clusterName}, or to deregister it`);
    expect(await tokenUses(attacker.id)).toBe(0);
    expect(await clusterRow(victim.clusterId)).toEqual(before);
    await expect(heartbeat(hub, victim.credential)).resolves.toBeDefined();
    expect(await refusedMetric('ClusterIdentityTaken')).toBe(refusedBefore + 1);
    expect(await registrationsMetric('ClusterIdentityTaken')).toBe(registrationsBefore + 1);
    const audit = hub.logs().split('\n').filter((l) => l.includes('ClusterIdentityTaken'));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toContain(victim.clusterId);
    expect(audit[0]).toContain(victim.clusterName);
    expect(audit[0]).toContain(attacker.id);
    expect(audit[0]).toMatch(/peer=\S*127\.0\.0\.1/);
    expect(hub.logs()).not.toContain(secretOf(attacker.token));

    // The victim's stream is still open and still delivers.
    const put = await hub.api('PUT', `/api/v1/bundles/${env}`, {
      resources: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: env, namespace: 'default' }, data: { k: 'v' } }],
      targets: [{ clusterName: victim.clusterName }],
    });
    expect(put.status).toBe(201);
    await eventually(() => expect(latestDesired(stream)!.deployments.map((d) => d.revision)).toEqual([put.body.revision]), { timeoutMs: 15_000 });
    expect(ended).toBe(false);
    stream.cancel();
  });

  it('refuses an unbound token for a revoked cluster too, and a bound token brings it back', async () => {
    const token = await createToken();
    const identity = uid();
    const first = await register(hub, { token: token.token, identity });
    expect((await hub.api('POST', `/api/v1/clusters/${first.clusterId}/revoke`)).status).toBe(200);

    const unbound = await grpcFailure(register(hub, { token: token.token, identity }));
    expect(unbound).toMatchObject({ code: status.ALREADY_EXISTS, reason: 'ClusterIdentityTaken' });
    expect((await clusterRow(first.clusterId))!.connection).toBe('revoked');

    const bound = await createToken({ clusterId: first.clusterId });
    expect(bound.clusterId).toBe(first.clusterId);
    const back = await register(hub, { token: bound.token, identity });
    expect(back.clusterId).toBe(first.clusterId);
    expect((await clusterRow(first.clusterId))!.connection).toBe('pending');
  });

  it('re-attaches with a token bound to the cluster: the new credential works, the old one and its stream stop', async () => {
    const identity = uid();
    const first = await register(hub, { token: (await createToken()).token, identity });
    const oldStream = watch(hub, first.credential);
    await eventually(() => expect(oldStream.events.length).toBeGreaterThan(0));

    const bound = await createToken({ clusterId: first.clusterId, maxUses: 1 });
    const second = await register(hub, { token: bound.token, identity });
    expect(second).toMatchObject({ clusterId: first.clusterId, clusterName: first.clusterName });
    expect(second.credential).not.toBe(first.credential);
    expect((await oldStream.ended).code).toBe(status.UNAUTHENTICATED);
    await expect(heartbeat(hub, second.credential)).resolves.toBeDefined();
    expect(await grpcFailure(heartbeat(hub, first.credential))).toMatchObject({ code: status.UNAUTHENTICATED });
    expect(await tokenUses(bound.id)).toBe(1);
    expect((await clusterRow(first.clusterId))!.registration_token_id).toBe(bound.id);
  });

  it('refuses a bound token used with another identity, existing or new, spending no use', async () => {
    const token = await createToken();
    const a = await register(hub, { token: token.token, identity: uid() });
    const otherIdentity = uid();
    const b = await register(hub, { token: token.token, identity: otherIdentity });
    const boundToA = await createToken({ clusterId: a.clusterId });

    const onB = await grpcFailure(register(hub, { token: boundToA.token, identity: otherIdentity }));
    expect(onB).toMatchObject({ code: status.ALREADY_EXISTS, reason: 'ClusterIdentityTaken' });
    expect(onB.details).toContain(b.clusterName);

    const fresh = uid();
    const onNew = await grpcFailure(register(hub, { token: boundToA.token, identity: fresh }));
    expect(onNew).toMatchObject({ code: status.PERMISSION_DENIED, reason: 'RegistrationTokenClusterMismatch' });
    expect(onNew.details).toContain(`issued for cluster ${a.clusterName}`);
    expect(await tokenUses(boundToA.id)).toBe(0);
    const [count] = await query<{ n: string }>(hub.database.url, 'SELECT count(*) AS n FROM clusters WHERE identity = $1', [fresh]);
    expect(Number(count!.n)).toBe(0);
  });

  it('lets a deregistered cluster\'s identity register as a new cluster with any valid token', async () => {
    const token = await createToken();
    const identity = uid();
    const first = await register(hub, { token: token.token, identity });
    expect((await hub.api('DELETE', `/api/v1/clusters/${first.clusterId}`)).status).toBe(204);
    const again = await register(hub, { token: token.token, identity });
    expect(again.clusterId).not.toBe(first.clusterId);
  });

  it('binds tokens only to clusters that exist', async () => {
    const before = (await hub.api('GET', '/api/v1/registration-tokens')).body.items.length;
    const res = await hub.api('POST', '/api/v1/registration-tokens', { clusterId: '00000000-0000-4000-8000-000000000000' });
    expect(res).toMatchObject({ status: 400, body: { error: 'ValidationFailed', field: 'clusterId' } });
    expect(res.body.message).toContain('00000000-0000-4000-8000-000000000000');
    expect((await hub.api('GET', '/api/v1/registration-tokens')).body.items.length).toBe(before);
  });
});

describe('retrying a Register whose answer never arrived', () => {
  it('re-attaches the pending cluster for the same agent (same token and nonce) without spending a use; nobody else, and not once it connected', async () => {
    const token = await createToken({ maxUses: 2 });
    const identity = uid();
    const nonce = `nonce-${rand()}-${rand()}`;
    const first = await register(hub, { token: token.token, identity, nonce });
    // The answer is "lost": the agent retries with what it kept in its Secret.
    const again = await register(hub, { token: token.token, identity, nonce });
    expect(again.clusterId).toBe(first.clusterId);
    expect(await tokenUses(token.id)).toBe(1);
    await expect(heartbeat(hub, again.credential)).resolves.toBeDefined();
    expect(await grpcFailure(heartbeat(hub, first.credential))).toMatchObject({ code: status.UNAUTHENTICATED });
    // Knowing the identity and holding the token is not enough: the nonce is the agent's own secret.
    expect(await grpcFailure(register(hub, { token: token.token, identity, nonce: 'guessed' }))).toMatchObject({ reason: 'ClusterIdentityTaken' });
    expect(await grpcFailure(register(hub, { token: token.token, identity }))).toMatchObject({ reason: 'ClusterIdentityTaken' });
    // Once the cluster connected, the retry is over: re-attaching needs a bound token again.
    const stream = watch(hub, again.credential);
    await eventually(async () => expect((await clusterRow(again.clusterId))!.connection).toBe('online'));
    stream.cancel();
    expect(await grpcFailure(register(hub, { token: token.token, identity, nonce }))).toMatchObject({ reason: 'ClusterIdentityTaken' });
    await expect(heartbeat(hub, again.credential)).resolves.toBeDefined();
  });

  it('lets the retry use a single-use token whose one use the lost Register spent', async () => {
    const token = await createToken({ maxUses: 1 });
    const identity = uid();
    const first = await register(hub, { token: token.token, identity, nonce: 'kept-in-the-secret' });
    const again = await register(hub, { token: token.token, identity, nonce: 'kept-in-the-secret' });
    expect(again.clusterId).toBe(first.clusterId);
    expect(await tokenUses(token.id)).toBe(1);
    expect(await grpcFailure(register(hub, { token: token.token, identity: uid(), nonce: 'kept-in-the-secret' }))).toMatchObject({ reason: 'RegistrationTokenExhausted' });
  });
});
