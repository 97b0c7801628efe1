import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { register } from '../support/agent-client.ts';
import { archiveOf } from '../support/bundle-archive.ts';
import { query } from '../support/database.ts';
import { eventually } from '../support/eventually.ts';
import { startHub, type TestHub } from '../support/hub.ts';
import { repoPath } from '../support/paths.ts';

const GRACE_SECONDS = 3;

let hub: TestHub;
let clusterId: string;
beforeAll(async () => {
  // One history entry per bundle: a replaced revision is referenced by nothing (rollback history keeps it otherwise).
  hub = await startHub({ env: { FLOTILLA_REVISION_GC_GRACE_SECONDS: String(GRACE_SECONDS), FLOTILLA_REVISION_GC_INTERVAL_SECONDS: '1', FLOTILLA_ROLLOUT_HISTORY: '1' } });
  const token = (await hub.api('POST', '/api/v1/registration-tokens', {})).body.token;
  clusterId = (await register(hub, { token, identity: `gc-${Math.random()}`, labels: { gc: 'yes' }, name: 'gc-cluster' })).clusterId;
});
afterAll(async () => {
  await hub?.dispose();
});

const configMap = (value: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { value } });

async function put(name: string, value: string, targets: unknown[] = []): Promise<string> {
  const res = await hub.api('PUT', `/api/v1/bundles/${name}`, { resources: [configMap(value)], targets });
  expect([200, 201], JSON.stringify(res.body)).toContain(res.status);
  return res.body.revision;
}

async function revision(id: string): Promise<{ unreferenced_since: Date | null } | undefined> {
  return (await query<{ unreferenced_since: Date | null }>(hub.database.url, 'SELECT unreferenced_since FROM bundle_revisions WHERE id = $1', [id]))[0];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const WAIT = { timeoutMs: 20_000 };

describe('revision garbage collection', () => {
  it('deletes a revision no bundle references once the grace period has passed, not before', async () => {
    const v1 = await put('solo', 'one');
    const v2 = await put('solo', 'two');
    // The sweep stamps v1 when it first sees it unreferenced…
    await eventually(async () => expect((await revision(v1))?.unreferenced_since).toBeInstanceOf(Date), WAIT);
    // …and deletes it only after the grace period: track its age (by the database clock) until it goes.
    let oldest = 0;
    await eventually(async () => {
      const rows = await query<{ age: number }>(hub.database.url, 'SELECT EXTRACT(EPOCH FROM now() - unreferenced_since)::float AS age FROM bundle_revisions WHERE id = $1', [v1]);
      if (rows[0]) oldest = Math.max(oldest, rows[0].age);
      expect(rows).toEqual([]);
    }, { ...WAIT, intervalMs: 100 });
    expect(oldest).toBeGreaterThan(GRACE_SECONDS - 1.5);
    // The current revision is never stamped.
    await sleep(2000);
    expect(await revision(v2)).toEqual({ unreferenced_since: null });
  });

  it('keeps a revision a deployment still reports as applied, and collects it afterwards', async () => {
    const v1 = await put('deployed', 'one', [{ clusterName: 'gc-cluster' }]);
    await eventually(async () => expect((await query(hub.database.url, 'SELECT 1 FROM deployments WHERE cluster_id = $1', [clusterId])).length).toBe(1), WAIT);
    // As if the agent had reported v1 applied.
    await query(hub.database.url, 'UPDATE deployments SET applied_revision = $1 WHERE cluster_id = $2', [v1, clusterId]);
    const v2 = await put('deployed', 'two', [{ clusterName: 'gc-cluster' }]);
    await eventually(async () => expect((await query(hub.database.url, 'SELECT desired_revision FROM deployments WHERE cluster_id = $1', [clusterId]))[0]).toEqual({ desired_revision: v2 }), WAIT);
    await sleep((GRACE_SECONDS + 2) * 1000);
    expect(await revision(v1)).toEqual({ unreferenced_since: null });

    // The agent reports v2: nothing references v1 any more.
    await query(hub.database.url, 'UPDATE deployments SET applied_revision = $1 WHERE cluster_id = $2', [v2, clusterId]);
    await eventually(async () => expect(await revision(v1)).toBeUndefined(), WAIT);
    expect(await revision(v2)).toEqual({ unreferenced_since: null });
  });

  it('clears the stamp when a revision is referenced again within the grace period', async () => {
    const v1 = await put('back', 'one');
    await put('back', 'two');
    await eventually(async () => expect((await revision(v1))?.unreferenced_since).toBeInstanceOf(Date), WAIT);
    expect(await put('back', 'one')).toBe(v1);
    expect(await revision(v1)).toEqual({ unreferenced_since: null });
    await sleep((GRACE_SECONDS + 2) * 1000);
    expect(await revision(v1)).toEqual({ unreferenced_since: null });
    expect((await hub.api('GET', '/api/v1/bundles/back')).body.revision).toBe(v1);
  });

  it.each([
    ['0', 'FLOTILLA_REVISION_GC_GRACE_SECONDS'],
    ['soon', 'FLOTILLA_REVISION_GC_GRACE_SECONDS'],
  ])('refuses to start with FLOTILLA_REVISION_GC_GRACE_SECONDS=%s, naming the variable', (value, variable) => {
    const result = spawnSync(process.execPath, [repoPath('hub/dist/main.js')], {
      env: { PATH: process.env.PATH ?? '', FLOTILLA_LOG_FORMAT: 'text', DATABASE_URL: hub.database.url, FLOTILLA_GRPC_INSECURE: 'true', FLOTILLA_REVISION_GC_GRACE_SECONDS: value },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`${variable}:`);
    expect(result.stderr).not.toContain('DATABASE_URL');
  });

  it('deletes a bundle directory no bundle uses (and its renders\' revisions) after the grace period, keeps the current one', async () => {
    const dir = (v: string) => ({ 'cm.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: dir }\ndata: { v: "${v}" }\n` });
    const first = await hub.api('PUT', '/api/v1/bundles/dir', { directory: { archive: await archiveOf(dir('one')) }, targets: [{ clusterName: 'gc-cluster' }] });
    expect(first.status).toBe(201);
    const old = first.body.source.digest as string;
    const oldRevision = async () => (await query<{ revision_id: string }>(hub.database.url, 'SELECT revision_id FROM bundle_renders WHERE source_id = $1', [old]))[0]?.revision_id;
    await eventually(async () => expect(await oldRevision()).toMatch(/^sha256:/), WAIT);
    const rendered = (await oldRevision())!;
    const second = await hub.api('PUT', '/api/v1/bundles/dir', { directory: { archive: await archiveOf(dir('two')) }, targets: [{ clusterName: 'gc-cluster' }] });
    expect(second.body.source.digest).not.toBe(old);
    const sources = async () => (await query<{ id: string }>(hub.database.url, 'SELECT id FROM bundle_sources ORDER BY id')).map((r) => r.id);
    await eventually(async () => expect(await sources()).toEqual([second.body.source.digest]), WAIT);
    // The old directory's render goes with it, and then its revision (no deployment wants it any more).
    await eventually(async () => expect(await revision(rendered)).toBeUndefined(), WAIT);
    expect((await hub.api('DELETE', '/api/v1/bundles/dir')).status).toBe(204);
  });

  it('keeps a replaced revision while a rollout history entry names it (a rollback target)', async () => {
    const kept = await startHub({ env: { FLOTILLA_REVISION_GC_GRACE_SECONDS: '1', FLOTILLA_REVISION_GC_INTERVAL_SECONDS: '1' } });
    try {
      const putOn = async (value: string) => (await kept.api('PUT', '/api/v1/bundles/history', { resources: [configMap(value)], targets: [] })).body.revision as string;
      const v1 = await putOn('one');
      await putOn('two');
      await sleep(4000); // several sweeps, each longer than the grace period
      const rows = await query<{ unreferenced_since: Date | null }>(kept.database.url, 'SELECT unreferenced_since FROM bundle_revisions WHERE id = $1', [v1]);
      expect(rows).toEqual([{ unreferenced_since: null }]);
      expect((await kept.api('GET', '/api/v1/bundles/history/rollouts')).body.items.map((r: { seq: number; revision: string }) => [r.seq, r.revision])).toContainEqual([1, v1]);
    } finally {
      await kept.dispose();
    }
  });
});
