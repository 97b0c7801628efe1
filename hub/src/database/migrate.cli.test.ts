import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runMigrateCli } from './migrate.cli.js';
import { prismaPaths } from './migration/paths.js';
import { REPO_PRISMA_DIR, copyPrismaDir, createTestDatabase, type TempPrismaDir, type TestDatabase } from './migration/test-database.js';

async function run(args: string[], env: NodeJS.ProcessEnv) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runMigrateCli(args, { env, out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

describe('migrate.cli', () => {
  it('resolves <repo>/prisma relative to the file, or FLOTILLA_PRISMA_DIR', () => {
    expect(prismaPaths({})).toEqual({
      dir: REPO_PRISMA_DIR,
      schemaPath: join(REPO_PRISMA_DIR, 'schema.prisma'),
      migrationsDir: join(REPO_PRISMA_DIR, 'migrations'),
    });
    expect(prismaPaths({ FLOTILLA_PRISMA_DIR: '/srv/prisma' }).migrationsDir).toBe('/srv/prisma/migrations');
  });

  it('prints usage and exits 2 without a command or with an unknown one', async () => {
    expect((await run([], {})).code).toBe(2);
    const unknown = await run(['migrate'], { DATABASE_URL: 'postgresql://x@127.0.0.1/x' });
    expect(unknown.code).toBe(2);
    expect(unknown.err).toEqual([expect.stringContaining('unknown command "migrate"')]);
  });

  it('fails with one clear line when DATABASE_URL is missing', async () => {
    const result = await run(['deploy'], {});
    expect(result.code).toBe(1);
    expect(result.err).toEqual(['migrate deploy failed: DATABASE_URL is not set (e.g. postgresql://user:password@host:5432/flotilla).']);
  });

  describe('against a database', () => {
    let db: TestDatabase;
    let prisma: TempPrismaDir;
    let env: NodeJS.ProcessEnv;

    beforeEach(async () => {
      db = await createTestDatabase();
      prisma = await copyPrismaDir();
      env = { DATABASE_URL: db.url, FLOTILLA_PRISMA_DIR: prisma.dir };
    });

    afterEach(async () => {
      await db.drop();
      await prisma.remove();
    });

    it('status (exit 1 while pending), deploy, deploy again, status (exit 0), create with no change', async () => {
      const pending = await run(['status'], env);
      expect(pending.code).toBe(1);
      expect(pending.out.join('\n')).toMatch(/Pending: \d{14}_init/);

      const first = await run(['deploy'], env);
      expect(first).toMatchObject({ code: 0, err: [] });
      expect(first.out).toEqual([expect.stringMatching(/^Applied \d+ migrations?: \d{14}_init\b/)]);

      expect((await run(['deploy'], env)).out).toEqual(['No pending migrations to apply; the database is up to date.']);

      const upToDate = await run(['status'], env);
      expect(upToDate.code).toBe(0);
      expect(upToDate.out).toContain('Database schema is up to date.');

      await run(['create', 'sync'], env); // in case the repo's schema is ahead of its migrations
      const create = await run(['create', 'noop'], env);
      expect(create.code).toBe(0);
      expect(create.out).toEqual([expect.stringMatching(/^No schema changes/)]);
    });

    it('reports a diverged history as one line with the reason and the migration', async () => {
      const [init = 'no init applied'] = (await run(['deploy'], env)).out.join(' ').match(/\d{14}_init/) ?? [];
      // edit the applied migration
      await appendFile(join(prisma.migrationsDir, init, 'migration.sql'), '\n-- changed\n');

      const result = await run(['deploy'], env);
      expect(result.code).toBe(1);
      expect(result.err).toHaveLength(1);
      expect(result.err[0]).toMatch(/^migrate deploy failed \[HistoryDiverged\]: /);
      expect(result.err[0]).toContain(init);
      expect(result.err[0]).not.toContain('\n');
    });

    it('creates a migration for a schema change', async () => {
      await appendFile(prisma.schemaPath, '\nmodel Note {\n  id Int @id\n\n  @@map("notes")\n}\n');
      const result = await run(['create', 'add_notes'], env);
      expect(result.code).toBe(0);
      expect(result.out).toEqual([expect.stringMatching(/\d{14}_add_notes[/\\]migration\.sql$/)]);
      expect((await run(['create'], env)).code).toBe(2);
    });
  });
});
