/**
 * Issue #9 item 1: token labels are authoritative. The agent may add labels
 * only where the token allows it (`agentLabelKeys`) and never change a label
 * the token sets; a cluster has at most 64 labels however they are set.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { status } from '@grpc/grpc-js';
import { grpcFailure, register } from '../support/agent-client.ts';
import { query } from '../support/database.ts';
import { startHub, type TestHub } from '../support/hub.ts';

let hub: TestHub;
beforeAll(async () => {
  hub = await startHub();
});
afterAll(async () => {
  await hub?.dispose();
});

const uid = () => `uid-${Math.random().toString(36).slice(2)}`;
const manyLabels = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 'v']));

async function createToken(body: object = {}): Promise<{ id: string; token: string; agentLabelKeys: string[] | null }> {
  const res = await hub.api('POST', '/api/v1/registration-tokens', body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

async function tokenUses(id: string): Promise<number> {
  const [row] = await query<{ uses: number }>(hub.database.url, 'SELECT uses FROM registration_tokens WHERE id = $1', [id]);
  return row!.uses;
}

async function clustersWith(identity: string): Promise<number> {
  const [row] = await query<{ n: string }>(hub.database.url, 'SELECT count(*) AS n FROM clusters WHERE identity = $1', [identity]);
  return Number(row!.n);
}

/** Register must fail with INVALID_ARGUMENT naming `field`, create nothing and spend no use. */
async function expectRefused(token: { id: string; token: string }, labels: Record<string, string>, reason: string, field: string): Promise<string> {
  const identity = uid();
  const failure = await grpcFailure(register(hub, { token: token.token, identity, labels }));
  expect(failure).toMatchObject({ code: status.INVALID_ARGUMENT, reason });
  expect(failure.details).toContain(`(field ${field})`);
  expect(await clustersWith(identity)).toBe(0);
  expect(await tokenUses(token.id)).toBe(0);
  return failure.details;
}

describe('token labels are authoritative', () => {
  it('refuses a dev token whose agent asks for env=prod, and creates no cluster', async () => {
    const dev = await createToken({ labels: { env: 'dev' } });
    const details = await expectRefused(dev, { env: 'prod' }, 'AgentLabelNotAllowed', 'labels.env');
    expect(details).toContain('env=dev');
  });

  it('accepts agent labels that repeat the token\'s value or set keys the token leaves open (agentLabelKeys absent)', async () => {
    const dev = await createToken({ labels: { env: 'dev' } });
    expect(dev.agentLabelKeys).toBeNull();
    const reg = await register(hub, { token: dev.token, identity: uid(), labels: { env: 'dev', region: 'eu' } });
    expect((await hub.api('GET', `/api/v1/clusters/${reg.clusterId}`)).body.labels).toEqual({ env: 'dev', region: 'eu' });
  });

  it('refuses every agent label when agentLabelKeys is []', async () => {
    const none = await createToken({ labels: { env: 'dev' }, agentLabelKeys: [] });
    expect(none.agentLabelKeys).toEqual([]);
    await expectRefused(none, { region: 'eu' }, 'AgentLabelNotAllowed', 'labels.region');
    const reg = await register(hub, { token: none.token, identity: uid() });
    expect((await hub.api('GET', `/api/v1/clusters/${reg.clusterId}`)).body.labels).toEqual({ env: 'dev' });
  });

  it('allows exact keys and prefixes ending in *', async () => {
    const body = { agentLabelKeys: ['region', 'topology.kubernetes.io/*'] };
    const some = await createToken(body);
    expect(some.agentLabelKeys).toEqual(body.agentLabelKeys);
    await expectRefused(some, { region: 'eu', zone: 'a' }, 'AgentLabelNotAllowed', 'labels.zone');
    await expectRefused(some, { 'topology.kubernetes.io': 'a' }, 'AgentLabelNotAllowed', 'labels.topology.kubernetes.io');
    const labels = { region: 'eu', 'topology.kubernetes.io/zone': 'eu-1a' };
    const reg = await register(hub, { token: some.token, identity: uid(), labels });
    expect((await hub.api('GET', `/api/v1/clusters/${reg.clusterId}`)).body.labels).toEqual(labels);
  });

  it('on re-attach keeps hub edits unless the token or an allowed agent label sets the key', async () => {
    const identity = uid();
    const first = await register(hub, { token: (await createToken({ labels: { env: 'dev' } })).token, identity });
    const patched = await hub.api('PATCH', `/api/v1/clusters/${first.clusterId}`, { labels: { team: 'payments', env: 'manual', region: 'old' } });
    expect(patched.status).toBe(200);
    const bound = await createToken({ clusterId: first.clusterId, labels: { env: 'prod' } });
    await register(hub, { token: bound.token, identity, labels: { region: 'us' } });
    expect((await hub.api('GET', `/api/v1/clusters/${first.clusterId}`)).body.labels).toEqual({ team: 'payments', env: 'prod', region: 'us' });
  });

  it.each([
    [{ agentLabelKeys: ['Bad key'] }, 'agentLabelKeys[0]'],
    [{ agentLabelKeys: ['region', '*'] }, 'agentLabelKeys[1]'],
    [{ agentLabelKeys: ['a*b'] }, 'agentLabelKeys[0]'],
  ])('rejects the token body %j naming %s', async (input, field) => {
    const res = await hub.api('POST', '/api/v1/registration-tokens', input);
    expect(res).toMatchObject({ status: 400, body: { field } });
  });
});

describe('at most 64 labels per cluster', () => {
  it('refuses 65 agent labels at Register naming labels, and accepts 64', async () => {
    const token = await createToken();
    await expectRefused(token, manyLabels(65), 'InvalidLabels', 'labels');
    await expect(register(hub, { token: token.token, identity: uid(), labels: manyLabels(64) })).resolves.toBeDefined();
  });

  it('refuses a Register whose merged labels would pass 64', async () => {
    const token = await createToken({ labels: { env: 'dev' } });
    await expectRefused(token, manyLabels(64), 'InvalidLabels', 'labels');
  });

  it('refuses a token with 65 labels', async () => {
    const res = await hub.api('POST', '/api/v1/registration-tokens', { labels: manyLabels(65) });
    expect(res).toMatchObject({ status: 400, body: { error: 'InvalidLabels', field: 'labels' } });
  });

  it('refuses a PATCH that would leave a cluster with 65 labels, changing nothing', async () => {
    const reg = await register(hub, { token: (await createToken()).token, identity: uid(), labels: manyLabels(60) });
    const more = Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`extra${i}`, 'v']));
    const res = await hub.api('PATCH', `/api/v1/clusters/${reg.clusterId}`, { labels: more });
    expect(res).toMatchObject({ status: 400, body: { error: 'InvalidLabels', field: 'labels' } });
    expect(Object.keys((await hub.api('GET', `/api/v1/clusters/${reg.clusterId}`)).body.labels)).toHaveLength(60);
    const fine = await hub.api('PATCH', `/api/v1/clusters/${reg.clusterId}`, { labels: { ...more, k0: null } });
    expect(fine.status).toBe(200);
    expect(Object.keys(fine.body.labels)).toHaveLength(64);
  });
});
