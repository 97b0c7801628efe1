import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrismaService } from '../database/prisma.service.js';
import { createMigrator } from '../database/migration/migrator.js';
import { REPO_PRISMA_DIR, createTestDatabase, type TestDatabase } from '../database/migration/test-database.js';
import type { HubConfig } from '../platform/config/config.js';
import { raiseGenerations } from './desired-generation.js';

// Desired-state generations in their narrow table, against a real PostgreSQL with the repo's migrations.
const MIGRATIONS = join(REPO_PRISMA_DIR, 'migrations');
const NARROW = '20261207233000_cluster_generations';
let db: TestDatabase;
let prisma: PrismaService;
let before: string;

beforeAll(async () => {
  db = await createTestDatabase();
  // Every migration before the narrow table first, with a cluster whose generation the move must keep.
  before = mkdtempSync(join(tmpdir(), 'flotilla-migrations-'));
  for (const entry of readdirSync(MIGRATIONS)) if (entry < NARROW || !/^\d/.test(entry)) cpSync(join(MIGRATIONS, entry), join(before, entry), { recursive: true });
  await createMigrator({ databaseUrl: db.url, migrationsDir: before }).deploy();
  await db.query(`INSERT INTO clusters (id, name, identity, desired_generation, updated_at) VALUES (gen_random_uuid(), 'old', 'old', 7, now())`);
  await createMigrator({ databaseUrl: db.url, migrationsDir: MIGRATIONS }).deploy();
  prisma = new PrismaService({ databaseUrl: db.url } as HubConfig);
});

afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
  if (before) rmSync(before, { recursive: true, force: true });
});

async function cluster(name: string): Promise<string> {
  return (await db.query<{ id: string }>(`INSERT INTO clusters (id, name, identity, updated_at) VALUES (gen_random_uuid(), $1, $1, now()) RETURNING id::text`, [name]))[0]!.id;
}

async function generations(): Promise<Record<string, number>> {
  const rows = await db.query<{ name: string; generation: string }>(`SELECT c.name, g.generation::text FROM cluster_generations g JOIN clusters c ON c.id = g.cluster_id ORDER BY c.name`);
  return Object.fromEntries(rows.map((r) => [r.name, Number(r.generation)]));
}

describe('desired-state generations', () => {
  it('keep what clusters had before the move; a new cluster starts at 0, whatever inserts it', async () => {
    await cluster('fresh');
    expect(await generations()).toEqual({ old: 7, fresh: 0 });
  });

  it('a raise adds one per cluster however often it is named, and skips a cluster that is gone', async () => {
    const [a, b] = [await cluster('raise-a'), await cluster('raise-b')];
    await raiseGenerations(prisma, [b, a, b, '00000000-0000-4000-8000-000000000000']);
    const after = await generations();
    expect([after['raise-a'], after['raise-b']]).toEqual([1, 1]);
  });

  it('a deleted cluster takes its row with it', async () => {
    const id = await cluster('deleted');
    await db.query(`DELETE FROM clusters WHERE id = $1::uuid`, [id]);
    expect((await db.query(`SELECT 1 FROM cluster_generations WHERE cluster_id = $1::uuid`, [id])).length).toBe(0);
  });
});
