import { readdir, readFile, rm, writeFile, appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MIGRATION_LOCK_KEY } from './advisory-lock.js';
import { MigrationError } from './errors.js';
import { SHADOW_DATABASE_PREFIX } from './migration-adapter.js';
import { createMigrator } from './migrator.js';
import { migrationSlug, migrationTimestamp } from './names.js';
import { ADMIN_URL, adminQuery, copyPrismaDir, createTestDatabase, type TempPrismaDir, type TestDatabase } from './test-database.js';

/** Tables of the init migration (later migrations add more). */
const INIT_TABLES = ['_prisma_migrations', 'api_tokens', 'cluster_groups', 'clusters', 'registration_tokens'];

let db: TestDatabase;
let prisma: TempPrismaDir;
/** The repo's migrations, oldest first; the folder grows, so tests must not assume it holds only init. */
let local: string[];
let init: string;

beforeEach(async () => {
  db = await createTestDatabase();
  prisma = await copyPrismaDir();
  const dirs = (await readdir(prisma.migrationsDir, { withFileTypes: true })).filter((d) => d.isDirectory());
  local = dirs.map((d) => d.name).sort();
  init = local[0] ?? '';
  expect(init).toMatch(/^\d{14}_init$/);
});

afterEach(async () => {
  await db.drop();
  await prisma.remove();
});

const migrator = (overrides: { lockTimeoutMs?: number; databaseUrl?: string } = {}) =>
  createMigrator({ databaseUrl: db.url, migrationsDir: prisma.migrationsDir, schemaPath: prisma.schemaPath, ...overrides });

/** Everything a refused deploy must leave untouched. */
const snapshot = async () => ({
  tables: await db.tables(),
  history: (await db.tables()).includes('_prisma_migrations')
    ? await db.query('SELECT migration_name, checksum, finished_at, rolled_back_at FROM _prisma_migrations ORDER BY migration_name')
    : [],
});

async function rejection(promise: Promise<unknown>): Promise<MigrationError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MigrationError);
  return error as MigrationError;
}

describe('deploy', () => {
  it('applies the init migration (and the rest), creates the tables, and applies nothing the second time', async () => {
    const m = migrator();
    expect(await m.deploy()).toEqual({ applied: local });
    expect(await db.tables()).toEqual(expect.arrayContaining(INIT_TABLES));
    expect(await m.deploy()).toEqual({ applied: [] });
    const rows = await db.query<{ migration_name: string; finished_at: Date | null }>(
      'SELECT migration_name, finished_at FROM _prisma_migrations ORDER BY migration_name',
    );
    expect(rows.map((r) => r.migration_name)).toEqual(local);
    expect(rows.every((r) => r.finished_at instanceof Date)).toBe(true);
  });

  it('works with a second migrator after the first one (fresh engine, same lock)', async () => {
    await migrator().deploy();
    await prisma.addMigration('29990101000000_add_note', 'ALTER TABLE "clusters" ADD COLUMN "note" TEXT;');
    expect(await migrator().deploy()).toEqual({ applied: ['29990101000000_add_note'] });
  });

  it('needs no schema.prisma to deploy (a runtime image may ship only the migrations)', async () => {
    const m = createMigrator({ databaseUrl: db.url, migrationsDir: prisma.migrationsDir });
    expect(await m.deploy()).toEqual({ applied: local });
    expect((await m.status()).upToDate).toBe(true);
  });

  it('runs scripts whole: semicolons inside strings and function bodies survive', async () => {
    await prisma.addMigration(
      '29990101000000_function',
      `CREATE TABLE notes (body TEXT NOT NULL DEFAULT 'a;b');
CREATE FUNCTION flotilla_semicolons() RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  RETURN 'x;y';
END;
$$;
INSERT INTO notes DEFAULT VALUES;`,
    );
    await migrator().deploy();
    expect(await db.query('SELECT body, flotilla_semicolons() AS f FROM notes')).toEqual([{ body: 'a;b', f: 'x;y' }]);
  });

  it('is safe when two replicas deploy the same empty database at once', async () => {
    const results = await Promise.all([migrator().deploy(), migrator().deploy()]);
    expect(results.map((r) => r.applied).sort((a, b) => a.length - b.length)).toEqual([[], local]);
    const rows = await db.query<{ migration_name: string }>('SELECT migration_name FROM _prisma_migrations ORDER BY migration_name');
    expect(rows.map((r) => r.migration_name)).toEqual(local);
    expect(await db.tables()).toEqual(expect.arrayContaining(INIT_TABLES));
  });

  it('gives up with LockTimeout when another process holds the migration lock', async () => {
    const holder = new pg.Client({ connectionString: db.url });
    await holder.connect();
    try {
      await holder.query('SELECT pg_advisory_lock($1::bigint)', [MIGRATION_LOCK_KEY.toString()]);
      const error = await rejection(migrator({ lockTimeoutMs: 300 }).deploy());
      expect(error.reason).toBe('LockTimeout');
      expect(await db.tables()).toEqual([]);
    } finally {
      await holder.end();
    }
  });

  it('refuses with HistoryDiverged, naming the migration, when an applied migration was edited', async () => {
    await migrator().deploy();
    await appendFile(join(prisma.migrationsDir, init, 'migration.sql'), '\n-- edited after deploy\n');
    await prisma.addMigration('29990101000000_pending', 'CREATE TABLE must_not_exist (id INT);');
    const before = await snapshot();

    const error = await rejection(migrator().deploy());
    expect(error.reason).toBe('HistoryDiverged');
    expect(error.migrations).toEqual([init]);
    expect(error.message).toContain(init);
    expect(error.message).toMatch(/checksum/);
    expect(error.message).toMatch(/restore the applied version/);
    expect(await snapshot()).toEqual(before);

    const status = await migrator().status();
    expect(status.diverged).toBe(true);
    expect(status.problems).toEqual([{ kind: 'edited', migration: init }]);
  });

  it('refuses with HistoryDiverged when a recorded migration is missing locally', async () => {
    await prisma.addMigration('29990101000000_later', 'CREATE TABLE later (id INT);');
    await migrator().deploy();
    await rm(join(prisma.migrationsDir, '29990101000000_later'), { recursive: true });
    await prisma.addMigration('29990202000000_other_branch', 'CREATE TABLE other_branch (id INT);');
    const before = await snapshot();

    const error = await rejection(migrator().deploy());
    expect(error.reason).toBe('HistoryDiverged');
    expect(error.migrations).toEqual(['29990101000000_later']);
    expect(error.message).toContain('"29990101000000_later" is recorded in _prisma_migrations but missing');
    expect(await snapshot()).toEqual(before);

    const status = await migrator().status();
    expect(status).toMatchObject({
      diverged: true,
      upToDate: false,
      pending: ['29990202000000_other_branch'],
      problems: [{ kind: 'missingLocally', migration: '29990101000000_later' }],
    });
  });

  it('reports MigrationFailed with Postgres\'s message and the migration name, rolls the script back, then recovers via resolve', async () => {
    await migrator().deploy();
    const broken = '29990101000000_broken';
    await prisma.addMigration(broken, 'CREATE TABLE half_done (id INT);\nINSERT INTO no_such_table VALUES (1);');

    const error = await rejection(migrator().deploy());
    expect(error.reason).toBe('MigrationFailed');
    expect(error.migrations).toEqual([broken]);
    expect(error.message).toContain(broken);
    expect(error.message).toContain('line 2: ERROR 42P01: relation "no_such_table" does not exist');
    expect(await db.tables()).not.toContain('half_done');

    // A failed migration blocks further deploys until resolved.
    const blocked = await rejection(migrator().deploy());
    expect(blocked.reason).toBe('HistoryDiverged');
    expect(blocked.message).toContain(`"${broken}" failed earlier`);
    expect((await migrator().status()).problems).toEqual([{ kind: 'failed', migration: broken }]);

    await writeFile(join(prisma.migrationsDir, broken, 'migration.sql'), 'CREATE TABLE half_done (id INT);');
    await migrator().resolve(broken, 'rolled-back');
    expect(await migrator().deploy()).toEqual({ applied: [broken] });
    expect(await db.tables()).toContain('half_done');
    expect((await migrator().status()).upToDate).toBe(true);
  });

  it('refuses a database that has tables but no migration history (DatabaseNotEmpty), and baselines via resolve', async () => {
    await db.query('CREATE TABLE legacy (id INT)');
    const error = await rejection(migrator().deploy());
    expect(error.reason).toBe('DatabaseNotEmpty');
    expect(error.message).toContain(`migrate resolve --applied`);
    expect(await db.tables()).toEqual(['legacy']);

    for (const name of local) await migrator().resolve(name, 'applied');
    expect(await migrator().deploy()).toEqual({ applied: [] });
    expect((await migrator().status()).upToDate).toBe(true);
  });

  it('reports ConnectionFailed without leaking the password', async () => {
    const error = await rejection(
      migrator({ databaseUrl: 'postgresql://postgres:s3cret@127.0.0.1:1/nowhere' }).deploy(),
    );
    expect(error.reason).toBe('ConnectionFailed');
    expect(error.message).not.toContain('s3cret');
  });

  it('refuses a migrations folder whose lock file names another provider', async () => {
    await writeFile(join(prisma.migrationsDir, 'migration_lock.toml'), 'provider = "mysql"\n');
    expect((await rejection(migrator().deploy())).reason).toBe('InvalidMigrationsDir');
  });
});

describe('status', () => {
  it('reports pending before and applied after a deploy', async () => {
    const before = await migrator().status();
    expect(before).toMatchObject({ local, applied: [], pending: local, diverged: false, upToDate: false, hasMigrationsTable: false });
    // status must not create anything
    expect(await db.tables()).toEqual([]);

    await migrator().deploy();
    const after = await migrator().status();
    expect(after).toMatchObject({ local, pending: [], problems: [], diverged: false, upToDate: true, hasMigrationsTable: true });
    expect(after.applied.map((a) => a.name)).toEqual(local);
    expect(after.applied[0]?.finishedAt).toBeInstanceOf(Date);
  });
});

describe('create', () => {
  const shadowDatabases = async () =>
    adminQuery<{ datname: string }>(ADMIN_URL, `SELECT datname FROM pg_database WHERE datname LIKE $1`, [`${SHADOW_DATABASE_PREFIX}%`]);

  // These tests must not depend on the repo's schema.prisma being in sync with its migrations
  // (schema-sync.test.ts checks that): bring the temp copy in sync first.
  const syncCopy = async () => {
    await migrator().create('sync');
  };

  it('writes nothing and says so when the schema matches the migrations', async () => {
    await syncCopy();
    const before = (await readdir(prisma.migrationsDir)).sort();
    const result = await migrator().create('nothing');
    expect(result.created).toBe(false);
    expect(!result.created && result.message).toMatch(/No schema changes/);
    expect((await readdir(prisma.migrationsDir)).sort()).toEqual(before);
    expect(await shadowDatabases()).toEqual([]);
  });

  it('creates a migration for a schema change without touching the main database', async () => {
    await syncCopy();
    await db.query('CREATE TABLE keep_me (id INT)');
    await db.query('INSERT INTO keep_me VALUES (42)');
    await appendFile(
      prisma.schemaPath,
      '\nmodel AuditEvent {\n  id      Int    @id @default(autoincrement())\n  message String\n\n  @@map("audit_events")\n}\n',
    );

    const result = await migrator().create('Add audit events!');
    if (!result.created) throw new Error(result.message);
    expect(result.name).toMatch(/^\d{14}_add_audit_events$/);
    expect(result.sql).toContain('CREATE TABLE "audit_events"');
    expect(result.sql).not.toContain('CREATE TABLE "clusters"');
    expect(await readFile(join(prisma.migrationsDir, result.name, 'migration.sql'), 'utf8')).toBe(result.sql);
    expect(await readFile(join(prisma.migrationsDir, 'migration_lock.toml'), 'utf8')).toContain('provider = "postgresql"');

    expect(await db.query('SELECT id FROM keep_me')).toEqual([{ id: 42 }]);
    expect(await db.tables()).toEqual(['keep_me']);
    expect(await shadowDatabases()).toEqual([]);

    // The folder now matches the schema again.
    expect((await migrator().create('again')).created).toBe(false);
  });

  it('creates the first migration (and the lock file) in an empty folder', async () => {
    await rm(prisma.migrationsDir, { recursive: true });
    const result = await migrator().create('init');
    if (!result.created) throw new Error(result.message);
    expect(result.sql).toContain('CREATE TABLE "clusters"');
    expect((await readdir(prisma.migrationsDir)).sort()).toEqual([result.name, 'migration_lock.toml']);
    // It applies cleanly, and afterwards the folder matches the schema.
    expect(await migrator().deploy()).toEqual({ applied: [result.name] });
    expect(await db.tables()).toEqual(expect.arrayContaining(INIT_TABLES));
    expect((await migrator().create('again')).created).toBe(false);
  });
});

describe('input validation', () => {
  it('rejects URLs it would mishandle before connecting', () => {
    const reason = (databaseUrl: string) => {
      try {
        createMigrator({ databaseUrl, migrationsDir: '/nonexistent' });
        return 'accepted';
      } catch (error) {
        return (error as MigrationError).reason;
      }
    };
    expect(reason('')).toBe('InvalidConfig');
    expect(reason('not a url')).toBe('InvalidConfig');
    expect(reason('mysql://root@localhost/db')).toBe('InvalidConfig');
    expect(reason('postgresql://u@localhost/db?schema=hub')).toBe('InvalidConfig');
    expect(reason('postgres://u:p@localhost:5432/db?sslmode=disable')).toBe('accepted');
  });


  it('slugs migration names and rejects empty ones', () => {
    expect(migrationSlug(' Add Cluster-Groups ')).toBe('add_cluster_groups');
    expect(() => migrationSlug('!!!')).toThrow(MigrationError);
  });

  it('formats timestamps like Prisma (UTC YYYYMMDDHHMMSS)', () => {
    expect(migrationTimestamp(new Date('2026-03-04T05:06:07.890Z'))).toBe('20260304050607');
  });
});
