import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrismaService } from '../database/prisma.service.js';
import { createMigrator } from '../database/migration/migrator.js';
import { REPO_PRISMA_DIR, createTestDatabase, type TestDatabase } from '../database/migration/test-database.js';
import type { HubConfig } from '../platform/config/config.js';
import { claimStaleMarks, clearFanoutMark, markAllBundles, markFanout } from './fanout-marker.js';

// The markers' SQL against a real PostgreSQL with the repo's migrations (issue #9: the fan-out's repair path).
let db: TestDatabase;
let prisma: PrismaService;

beforeAll(async () => {
  db = await createTestDatabase();
  await createMigrator({ databaseUrl: db.url, migrationsDir: join(REPO_PRISMA_DIR, 'migrations') }).deploy();
  prisma = new PrismaService({ databaseUrl: db.url } as HubConfig);
});

afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
});

let n = 0;
async function cluster(): Promise<string> {
  n++;
  const rows = await db.query<{ id: string }>(
    `INSERT INTO clusters (id, name, identity, updated_at) VALUES (gen_random_uuid(), $1, $1, now()) RETURNING id::text`,
    [`marker-${n}`],
  );
  return rows[0]!.id;
}

async function marker(table: 'bundles' | 'clusters', id: string): Promise<string | null> {
  return (await db.query<{ m: string | null }>(`SELECT fanout_requested_at::text AS m FROM ${table} WHERE id = $1`, [id]))[0]!.m;
}

describe('fan-out markers', () => {
  it('marks a new row by default, and the fan-out clears the marker it read', async () => {
    const id = await cluster();
    const read = await marker('clusters', id);
    expect(read).not.toBeNull();
    await clearFanoutMark(prisma, 'clusters', id, read);
    expect(await marker('clusters', id)).toBeNull();
  });

  it('keeps a marker stamped again after the fan-out read it (that change is not computed yet)', async () => {
    const id = await cluster();
    const read = await marker('clusters', id);
    await markFanout(prisma, 'clusters', [id]);
    const stamped = await marker('clusters', id);
    expect(stamped).not.toBe(read);
    await clearFanoutMark(prisma, 'clusters', id, read);
    expect(await marker('clusters', id)).toBe(stamped);
  });

  it('claims only markers older than the period, stamping them again so that other sweeps leave them alone', async () => {
    const [old, fresh, done] = [await cluster(), await cluster(), await cluster()];
    await db.query(`UPDATE clusters SET fanout_requested_at = now() - interval '1 minute' WHERE id = $1`, [old]);
    await db.query(`UPDATE clusters SET fanout_requested_at = NULL WHERE id = $1`, [done]);
    const claimed = await claimStaleMarks(prisma, 'clusters', 30, 1000);
    expect(claimed).toContain(old);
    expect(claimed).not.toContain(fresh);
    expect(claimed).not.toContain(done);
    expect(await claimStaleMarks(prisma, 'clusters', 30, 1000)).toEqual([]);
    expect(await marker('clusters', old)).not.toBeNull();
  });

  it('marks every bundle for a change that may retarget any of them', async () => {
    await db.query(`INSERT INTO bundle_revisions (id, content, size, resource_count) VALUES ('sha256:m', '\\x5b5d', 2, 0)`);
    const ids = [];
    for (const name of ['m1', 'm2']) {
      const rows = await db.query<{ id: string }>(
        `INSERT INTO bundles (id, name, revision_id, updated_at, fanout_requested_at) VALUES (gen_random_uuid(), $1, 'sha256:m', now(), NULL) RETURNING id::text`,
        [name],
      );
      ids.push(rows[0]!.id);
    }
    await markAllBundles(prisma);
    for (const id of ids) expect(await marker('bundles', id)).not.toBeNull();
  });
});
