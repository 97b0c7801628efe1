import { afterAll, beforeAll, expect, it } from 'vitest';
import { createMigrator } from './migrator.js';
import { copyPrismaDir, createTestDatabase, type TempPrismaDir, type TestDatabase } from './test-database.js';

// Guards the repo, not the migrator: a schema.prisma change without a migration would give a hub
// whose Prisma client expects tables that `deploy` never creates.
let db: TestDatabase;
let prisma: TempPrismaDir;

beforeAll(async () => {
  db = await createTestDatabase();
  prisma = await copyPrismaDir();
});

afterAll(async () => {
  await db?.drop();
  await prisma?.remove();
});

it('prisma/migrations contain everything in prisma/schema.prisma', async () => {
  // create() on a temp copy: diffs the migrations (replayed on a shadow database) against the schema.
  const result = await createMigrator({ databaseUrl: db.url, migrationsDir: prisma.migrationsDir, schemaPath: prisma.schemaPath }).create(
    'pending_schema_changes',
  );
  const hint =
    'prisma/schema.prisma has changes that no migration contains. Create one: ' +
    'npm run build -w hub && DATABASE_URL=postgresql://… node hub/dist/database/migrate.cli.js create <name>\n' +
    (result.created ? result.sql : '');
  expect(result.created, hint).toBe(false);
});
