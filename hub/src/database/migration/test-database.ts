// Test support (not used by the hub at run time): throw-away databases and migration folders.
import { randomBytes } from 'node:crypto';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { withDatabase } from './migration-adapter.js';

/** Any database on the test server; only used to CREATE/DROP the per-test databases. */
export const ADMIN_URL = process.env['FLOTILLA_TEST_PG_ADMIN_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export const REPO_PRISMA_DIR = fileURLToPath(new URL('../../../../prisma', import.meta.url));

export interface TestDatabase {
  name: string;
  url: string;
  query<R extends pg.QueryResultRow = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
  /** Tables in `public`, sorted. */
  tables(): Promise<string[]>;
  drop(): Promise<void>;
}

export async function adminQuery<R extends pg.QueryResultRow = Record<string, unknown>>(
  url: string,
  sql: string,
  params: unknown[] = [],
): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `flotilla_migtest_${randomBytes(6).toString('hex')}`;
  await adminQuery(ADMIN_URL, `CREATE DATABASE "${name}"`);
  const url = withDatabase(ADMIN_URL, name);
  const query = <R extends pg.QueryResultRow>(sql: string, params?: unknown[]) => adminQuery<R>(url, sql, params);
  return {
    name,
    url,
    query,
    tables: async () =>
      (await query<{ tablename: string }>(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`)).map(
        (row) => row.tablename,
      ),
    drop: async () => {
      await adminQuery(ADMIN_URL, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
}

export interface TempPrismaDir {
  dir: string;
  schemaPath: string;
  migrationsDir: string;
  /** Add `<migrationsDir>/<name>/migration.sql`. */
  addMigration(name: string, sql: string): Promise<void>;
  remove(): Promise<void>;
}

/** A copy of the repo's prisma/ folder (schema + migrations) that a test may edit freely. */
export async function copyPrismaDir(): Promise<TempPrismaDir> {
  const dir = await mkdtemp(join(tmpdir(), 'flotilla-prisma-'));
  await cp(join(REPO_PRISMA_DIR, 'schema.prisma'), join(dir, 'schema.prisma'));
  await cp(join(REPO_PRISMA_DIR, 'migrations'), join(dir, 'migrations'), { recursive: true });
  const migrationsDir = join(dir, 'migrations');
  return {
    dir,
    schemaPath: join(dir, 'schema.prisma'),
    migrationsDir,
    addMigration: async (name, sql) => {
      await mkdir(join(migrationsDir, name));
      await writeFile(join(migrationsDir, name, 'migration.sql'), sql);
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
