import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** Admin connection used to create and drop per-test databases. */
export const ADMIN_DATABASE_URL = process.env.FLOTILLA_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** Creates an empty database with a random name for one test file or hub. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `flotilla_t_${process.env.FLOTILLA_TEST_RUN_ID ?? 'x'}_${randomBytes(4).toString('hex')}`;
  await admin(`CREATE DATABASE "${name}"`);
  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${name}`;
  return { name, url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

/** Runs one query against a database and returns the rows. */
export async function query<T = Record<string, unknown>>(databaseUrl: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

async function admin(sql: string): Promise<void> {
  await query(ADMIN_DATABASE_URL, sql);
}
