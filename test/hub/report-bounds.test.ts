/**
 * Issue #9 (low items): ReportStatus is bounded and strings are checked
 * before anything is stored. A report with duplicate deployment ids, an
 * oversized reason or a NUL character is refused with INVALID_ARGUMENT naming
 * the field, the stored status stays as it was, and the hub logs no stack
 * trace. Secret values an agent sends in clear are not stored.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { status as grpcStatus } from '@grpc/grpc-js';
import { DeploymentState } from '@flotilla/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentClient, credentialMetadata, grpcFailure, latestDesired, register, reportStatus, watch, type OpenWatch } from '../support/agent-client.ts';
import { query } from '../support/database.ts';
import { eventually } from '../support/eventually.ts';
import { startHub, type TestHub } from '../support/hub.ts';
import { repoPath } from '../support/paths.ts';

let hub: TestHub;
let credential: string;
let stream: OpenWatch;
let deploymentId: string;
let ready: Record<string, unknown>;

const row = async () =>
  (await query<{ xmin: string; state: string; reason: string; resources: unknown }>(hub.database.url, 'SELECT xmin::text, state::text, reason, resources FROM deployments WHERE id = $1', [deploymentId]))[0]!;

beforeAll(async () => {
  hub = await startHub();
  const env = `rb-${Math.random().toString(36).slice(2, 8)}`;
  const token = (await hub.api('POST', '/api/v1/registration-tokens', { labels: { env } })).body.token;
  credential = (await register(hub, { token, identity: `${env}-1` })).credential;
  stream = watch(hub, credential);
  const put = await hub.api('PUT', `/api/v1/bundles/${env}`, {
    resources: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: env, namespace: 'default' }, data: { a: '1' } }],
    targets: [{ clusterSelector: { matchLabels: { env } } }],
  });
  await eventually(() => expect(latestDesired(stream)?.deployments).toHaveLength(1));
  deploymentId = latestDesired(stream)!.deployments[0]!.deploymentId;
  const resource = { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default', name: env, state: DeploymentState.DEPLOYMENT_STATE_READY, message: '', diffs: [] };
  ready = { deploymentId, appliedRevision: put.body.revision, state: DeploymentState.DEPLOYMENT_STATE_READY, reason: 'Ready', message: '', resources: [resource] };
  expect((await reportStatus(hub, credential, [ready])).accepted).toBe(1);
});

afterAll(async () => {
  stream?.cancel();
  await hub?.dispose();
});

/** The call is refused as the caller's fault, the row is not rewritten, and the hub logged no stack trace for it. */
async function expectRefused(call: () => Promise<unknown>, details: RegExp): Promise<void> {
  const before = await row();
  const logsBefore = hub.logs().length;
  const failure = await grpcFailure(call());
  expect(failure, JSON.stringify(failure)).toMatchObject({ code: grpcStatus.INVALID_ARGUMENT, reason: 'ValidationFailed' });
  expect(failure.details).toMatch(details);
  expect(await row()).toEqual(before);
  const logged = hub.logs().slice(logsBefore);
  expect(logged).not.toMatch(/\n\s+at /);
  expect(logged).not.toContain('INTERNAL');
}

describe('ReportStatus bounds', () => {
  it('refuses 1,000 copies of one deployment id', async () => {
    const copies = Array.from({ length: 1000 }, () => ({ ...ready, state: DeploymentState.DEPLOYMENT_STATE_NOT_READY, reason: 'NotHealthy' }));
    await expectRefused(
      () => reportStatus(hub, credential, copies),
      new RegExp(`^deployment_id ${deploymentId} is reported twice \\(first at deployments\\[0\\]\\); report each deployment once \\(field deployments\\[1\\]\\.deployment_id\\)$`),
    );
    expect((await row()).state).toBe('Ready');
  });

  it('refuses an oversized reason', async () => {
    await expectRefused(
      () => reportStatus(hub, credential, [{ ...ready, reason: 'R'.repeat(5000) }]),
      /^reason is longer than 1024 characters \(5000\) \(field deployments\[0\]\.reason\)$/,
    );
  });

  it('refuses a NUL character in the reason, in a resource message and in an applied revision', async () => {
    await expectRefused(
      () => reportStatus(hub, credential, [{ ...ready, reason: 'Not\u0000Healthy' }]),
      /^reason contains a NUL character \(\\u0000\) \(field deployments\[0\]\.reason\)$/,
    );
    const resources = [{ ...(ready.resources as object[])[0]!, message: 'bad\u0000' }];
    await expectRefused(() => reportStatus(hub, credential, [{ ...ready, resources }]), /\(field deployments\[0\]\.resources\[0\]\.message\)$/);
    await expectRefused(() => reportStatus(hub, credential, [{ ...ready, appliedRevision: 'not-a-digest' }]), /^applied_revision must be empty or sha256:<64 hex digits>/);
  });

  it('refuses a NUL character in the agent version of Heartbeat and Watch', async () => {
    const client = agentClient(hub);
    await expectRefused(
      () => new Promise((resolve, reject) => client.heartbeat({ agentVersion: '1.0\u0000' }, credentialMetadata(credential), (e, r) => (e ? reject(e) : resolve(r)))),
      /\(field agent_version\)$/,
    );
    client.close();
    const agentVersion = async () => (await query<{ agent_version: string }>(hub.database.url, 'SELECT agent_version FROM clusters'))[0]!.agent_version;
    const versionBefore = await agentVersion();
    const bad = agentClient(hub).watch({ agentVersion: '1.0\u0000', knownGeneration: '' }, credentialMetadata(credential));
    bad.on('data', () => undefined);
    const ended = await new Promise<{ code: number; details: string }>((resolve) => bad.on('error', (e: { code: number; details: string }) => resolve(e)));
    expect(ended).toMatchObject({ code: grpcStatus.INVALID_ARGUMENT, details: expect.stringMatching(/NUL character.*\(field agent_version\)$/) });
    expect(await agentVersion()).toBe(versionBefore);
    expect(hub.logs()).not.toContain('Watch setup failed');
  });

  it('stores a Secret reported with values in clear (an old agent) only redacted', async () => {
    const password = Buffer.from('hunter2-in-clear').toString('base64');
    const secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      namespace: 'default',
      name: 'db',
      state: DeploymentState.DEPLOYMENT_STATE_MODIFIED,
      message: 'changed in the cluster: /data/password',
      diffs: [{ path: '/data/password', desired: JSON.stringify(password), live: '"ZWRpdGVk"' }],
    };
    await reportStatus(hub, credential, [{ ...ready, state: DeploymentState.DEPLOYMENT_STATE_MODIFIED, reason: 'Drifted', resources: [secret] }]);
    await eventually(async () => expect((await row()).state).toBe('Modified'));
    const stored = JSON.stringify((await row()).resources);
    expect(stored).toContain('/data/password');
    expect(stored).not.toContain(password);
    expect(stored).not.toContain('ZWRpdGVk');
    const detail = await hub.api('GET', `/api/v1/deployments/${deploymentId}`);
    expect(detail.body.resources[0].diffs).toEqual([{ path: '/data/password', desired: '"<redacted>"', live: '"<redacted>"' }]);
  });

  it('serves a Secret stored in clear before the fix (an old row) only redacted', async () => {
    const password = Buffer.from('stored-before-the-fix').toString('base64');
    const old = [{ apiVersion: 'v1', kind: 'Secret', namespace: 'default', name: 'db', state: 'Modified', message: 'deleted from the cluster', diffs: [{ path: '', desired: JSON.stringify({ kind: 'Secret', data: { password } }), live: '' }] }];
    await query(hub.database.url, 'UPDATE deployments SET resources = $1::jsonb WHERE id = $2', [JSON.stringify(old), deploymentId]);
    const detail = await hub.api('GET', `/api/v1/deployments/${deploymentId}`);
    expect(JSON.stringify(detail.body)).not.toContain(password);
    expect(detail.body.resources[0]).toMatchObject({ kind: 'Secret', name: 'db', diffs: [{ path: '', desired: '"<redacted>"', live: '' }] });
  });

  it('scrubs Secret values from rows stored before the fix with the redact_stored_secret_diffs migration', async () => {
    const password = Buffer.from('scrubbed-by-the-migration').toString('base64');
    const configMap = { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default', name: 'cm', state: 'Modified', message: '', diffs: [{ path: '/data/a', desired: '"1"', live: '"2"' }] };
    const secret = { apiVersion: 'v1', kind: 'Secret', namespace: 'default', name: 'db', state: 'Modified', message: 'changed', diffs: [{ path: '/data/password', desired: JSON.stringify(password), live: '' }] };
    await query(hub.database.url, "UPDATE deployments SET resources = $1::jsonb, report_hash = 'old' WHERE id = $2", [JSON.stringify([configMap, secret]), deploymentId]);
    const dir = readdirSync(repoPath('prisma/migrations')).find((name) => name.endsWith('_redact_stored_secret_diffs'));
    await query(hub.database.url, readFileSync(repoPath(`prisma/migrations/${dir}/migration.sql`), 'utf8'));
    const after = (await query<{ resources: unknown; report_hash: string }>(hub.database.url, 'SELECT resources, report_hash FROM deployments WHERE id = $1', [deploymentId]))[0]!;
    expect(after.report_hash).toBe('');
    expect(after.resources).toEqual([configMap, { ...secret, diffs: [{ path: '/data/password', desired: '"<redacted>"', live: '' }] }]);
  });
});

