import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { status } from '@grpc/grpc-js';
import { grpcFailure, register, secretOf } from '../support/agent-client.ts';
import { query } from '../support/database.ts';
import { startHub, type TestHub } from '../support/hub.ts';

let hub: TestHub;
beforeAll(async () => {
  hub = await startHub();
});
afterAll(async () => {
  await hub?.dispose();
});

async function createToken(body: object = {}): Promise<{ id: string; token: string }> {
  const res = await hub.api('POST', '/api/v1/registration-tokens', body);
  expect(res.status).toBe(201);
  return res.body;
}

const uid = () => `uid-${Math.random().toString(36).slice(2)}`;

describe('registration tokens', () => {
  it('shows the secret once and never lists it', async () => {
    const created = await createToken({ description: 'edge', maxUses: 2, labels: { env: 'dev' } });
    expect(created.token).toMatch(/^flt_reg_/);
    const list = await hub.api('GET', '/api/v1/registration-tokens');
    const listed = list.body.items.find((t: { id: string }) => t.id === created.id);
    expect(listed).toMatchObject({ description: 'edge', maxUses: 2, uses: 0, labels: { env: 'dev' }, revoked: false });
    expect(JSON.stringify(list.body)).not.toContain(secretOf(created.token));
  });

  it('rejects a wrong secret, a garbage token and an unknown id alike', async () => {
    const { token } = await createToken();
    const wrongSecret = token.slice(0, -4) + (token.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    for (const bad of [wrongSecret, 'garbage', `flt_reg_00000000-0000-4000-8000-000000000000_${'a'.repeat(43)}`]) {
      const failure = await grpcFailure(register(hub, { token: bad, identity: uid() }));
      expect(failure).toMatchObject({ code: status.UNAUTHENTICATED, reason: 'RegistrationTokenInvalid', details: 'registration token is invalid' });
    }
  });

  it('rejects an expired token with the reason', async () => {
    const { id, token } = await createToken({ ttlSeconds: 60 });
    await query(hub.database.url, `UPDATE registration_tokens SET expires_at = now() - interval '1 second' WHERE id = $1`, [id]);
    const failure = await grpcFailure(register(hub, { token, identity: uid() }));
    expect(failure).toMatchObject({ code: status.UNAUTHENTICATED, reason: 'RegistrationTokenExpired' });
    expect(failure.details).toContain('expired');
  });

  it('rejects a revoked token and keeps clusters that joined before', async () => {
    const { id, token } = await createToken();
    const joined = await register(hub, { token, identity: uid() });
    expect((await hub.api('DELETE', `/api/v1/registration-tokens/${id}`)).status).toBe(204);
    const failure = await grpcFailure(register(hub, { token, identity: uid() }));
    expect(failure).toMatchObject({ code: status.UNAUTHENTICATED, reason: 'RegistrationTokenRevoked' });
    expect((await hub.api('GET', `/api/v1/clusters/${joined.clusterId}`)).status).toBe(200);
  });

  it('stops after maxUses, also under concurrent replay, without creating extra clusters', async () => {
    const { id, token } = await createToken({ maxUses: 3 });
    const identities = Array.from({ length: 8 }, uid);
    const results = await Promise.allSettled(identities.map((identity) => register(hub, { token, identity })));
    const ok = results.filter((r) => r.status === 'fulfilled');
    expect(ok).toHaveLength(3);
    const reasons = await Promise.all(
      results.filter((r) => r.status === 'rejected').map((r) => grpcFailure(Promise.reject((r as PromiseRejectedResult).reason))),
    );
    expect(new Set(reasons.map((r) => r.reason))).toEqual(new Set(['RegistrationTokenExhausted']));
    const [row] = await query<{ uses: number }>(hub.database.url, 'SELECT uses FROM registration_tokens WHERE id = $1', [id]);
    expect(row!.uses).toBe(3);
    const [count] = await query<{ n: string }>(hub.database.url, 'SELECT count(*) AS n FROM clusters WHERE registration_token_id = $1', [id]);
    expect(Number(count!.n)).toBe(3);
  });

  it('creates exactly one cluster per identity; concurrent first registrations do not re-attach it (the unique-violation retry is refused)', async () => {
    const { id, token } = await createToken({ labels: { env: 'dev', team: 'a' } });
    const identity = uid();
    const concurrent = await Promise.allSettled(
      Array.from({ length: 4 }, () => register(hub, { token, identity, labels: { region: 'eu' }, name: 'edge-a' })),
    );
    const ok = concurrent.filter((r) => r.status === 'fulfilled') as PromiseFulfilledResult<{ clusterId: string }>[];
    expect(ok).toHaveLength(1);
    const refused = await Promise.all(
      concurrent.filter((r) => r.status === 'rejected').map((r) => grpcFailure(Promise.reject((r as PromiseRejectedResult).reason))),
    );
    expect(refused.map((r) => r.reason)).toEqual(['ClusterIdentityTaken', 'ClusterIdentityTaken', 'ClusterIdentityTaken']);
    const [count] = await query<{ n: string }>(hub.database.url, 'SELECT count(*) AS n FROM clusters WHERE identity = $1', [identity]);
    expect(Number(count!.n)).toBe(1);
    const [row] = await query<{ uses: number }>(hub.database.url, 'SELECT uses FROM registration_tokens WHERE id = $1', [id]);
    expect(row!.uses).toBe(1);
    const cluster = await hub.api('GET', `/api/v1/clusters/${ok[0]!.value.clusterId}`);
    expect(cluster.body).toMatchObject({ name: 'edge-a', labels: { env: 'dev', team: 'a', region: 'eu' }, connection: 'pending' });
  });

  it('gives another identity asking for a taken name a suffixed name', async () => {
    const { token } = await createToken();
    const first = await register(hub, { token, identity: uid(), name: 'shared-name' });
    const second = await register(hub, { token, identity: uid(), name: 'shared-name' });
    expect(first.clusterName).toBe('shared-name');
    expect(second.clusterName).toMatch(/^shared-name-[0-9a-f]{8}$/);
  });

  it.each([
    [{ identity: '' }, 'cluster_identity'],
    [{ identity: 'x', name: 'Not_A_DNS_Label' }, 'cluster_name'],
    [{ identity: 'x', labels: { 'bad key!': 'v' } }, 'labels.bad key!'],
    [{ identity: 'nul\u0000inside' }, 'cluster_identity'],
  ])('rejects bad Register input %j naming %s, and consumes no use', async (input, field) => {
    const { id, token } = await createToken({ maxUses: 1 });
    const failure = await grpcFailure(register(hub, { token, ...input }));
    expect(failure.code).toBe(status.INVALID_ARGUMENT);
    expect(failure.details).toContain(field);
    const [row] = await query<{ uses: number }>(hub.database.url, 'SELECT uses FROM registration_tokens WHERE id = $1', [id]);
    expect(row!.uses).toBe(0);
    expect(hub.logs()).not.toContain('PrismaClient');
  });
});
