import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, query, type TestDatabase } from '../support/database.ts';
import { repoPath } from '../support/paths.ts';

function runHub(env: Record<string, string>): { status: number | null; stderr: string } {
  const result = spawnSync(process.execPath, [repoPath('hub/dist/main.js')], {
    env: { PATH: process.env.PATH ?? '', FLOTILLA_LOG_FORMAT: 'text', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stderr: result.stderr };
}

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

describe('hub start-up', () => {
  it('names every bad environment variable and exits non-zero', () => {
    const result = runHub({ DATABASE_URL: 'mysql://x', FLOTILLA_HTTP_PORT: '99999' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('DATABASE_URL: must be a postgresql:// URL');
    expect(result.stderr).toContain('FLOTILLA_HTTP_PORT');
    expect(result.stderr).toContain('FLOTILLA_GRPC_TLS_CERT');
  });

  it('refuses a database whose migration history diverges, and changes nothing', async () => {
    // Migrate with the CLI; then tamper with the history as if another version had run.
    const migrate = spawnSync(process.execPath, [repoPath('hub/dist/database/migrate.cli.js'), 'deploy'], {
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: db.url },
      encoding: 'utf8',
    });
    expect(migrate.status, migrate.stderr).toBe(0);
    const applied = await query<{ migration_name: string }>(db.url, 'SELECT migration_name FROM _prisma_migrations');
    expect(applied.length).toBeGreaterThan(0);
    await query(db.url, `INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
      VALUES ('x', 'deadbeef', '29990101000000_from_the_future', now(), now(), 1)`);
    const tables = await query(db.url, `SELECT count(*) FROM information_schema.tables WHERE table_schema='public'`);
    const result = runHub({ DATABASE_URL: db.url, FLOTILLA_GRPC_INSECURE: 'true' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('29990101000000_from_the_future');
    expect(await query(db.url, `SELECT count(*) FROM information_schema.tables WHERE table_schema='public'`)).toEqual(tables);
  });
});
