import { join, relative } from 'node:path';
import { MigrationError } from './migration/errors.js';
import { describeProblems } from './migration/history.js';
import { createMigrator, type Migrator, type ResolveAs } from './migration/migrator.js';
import { prismaPaths } from './migration/paths.js';

/**
 * Offline replacement for `prisma migrate deploy|status|dev --create-only|resolve`, which need a
 * native engine that cannot be downloaded here. Usage:
 *
 *   node hub/dist/database/migrate.cli.js deploy
 *   node hub/dist/database/migrate.cli.js status          (exit 1 when pending or diverged, like Prisma)
 *   node hub/dist/database/migrate.cli.js create <name>
 *   node hub/dist/database/migrate.cli.js resolve --applied|--rolled-back <migration>
 *
 * Reads DATABASE_URL. Uses <repo>/prisma/schema.prisma and <repo>/prisma/migrations, or the same
 * names under FLOTILLA_PRISMA_DIR. FLOTILLA_MIGRATE_DEBUG=1 prints the engine's log to stderr.
 */

const USAGE = 'usage: migrate.cli <deploy | status | create <name> | resolve --applied|--rolled-back <migration>>';

export interface CliIo {
  env: NodeJS.ProcessEnv;
  out: (line: string) => void;
  err: (line: string) => void;
}

export async function runMigrateCli(args: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = args;
  try {
    const databaseUrl = io.env['DATABASE_URL'];
    if (command === undefined || command === '--help' || command === '-h') {
      io.out(USAGE);
      return command === undefined ? 2 : 0;
    }
    if (!['deploy', 'status', 'create', 'resolve'].includes(command)) {
      io.err(`migrate: unknown command "${command}"; ${USAGE}`);
      return 2;
    }
    if (!databaseUrl) {
      io.err(`migrate ${command} failed: DATABASE_URL is not set (e.g. postgresql://user:password@host:5432/flotilla).`);
      return 1;
    }
    const { migrationsDir, schemaPath } = prismaPaths(io.env);
    const migrator = createMigrator({
      databaseUrl,
      migrationsDir,
      schemaPath,
      ...(io.env['FLOTILLA_MIGRATE_DEBUG'] ? { log: (line: string) => io.err(line.trimEnd()) } : {}),
    });
    switch (command) {
      case 'deploy':
        return await deploy(migrator, io);
      case 'status':
        return await status(migrator, migrationsDir, io);
      case 'create':
        return await create(migrator, rest, io);
      default:
        return await resolveCommand(migrator, rest, io);
    }
  } catch (error) {
    io.err(`migrate ${command ?? ''} failed${error instanceof MigrationError ? ` [${error.reason}]` : ''}: ${oneLine(error)}`);
    return 1;
  }
}

async function deploy(migrator: Migrator, io: CliIo): Promise<number> {
  const { applied } = await migrator.deploy();
  io.out(
    applied.length === 0
      ? 'No pending migrations to apply; the database is up to date.'
      : `Applied ${applied.length} migration${applied.length === 1 ? '' : 's'}: ${applied.join(', ')}`,
  );
  return 0;
}

async function status(migrator: Migrator, migrationsDir: string, io: CliIo): Promise<number> {
  const result = await migrator.status();
  io.out(`${result.local.length} migration(s) in ${migrationsDir}, ${result.applied.length} applied to the database.`);
  if (result.pending.length > 0) io.out(`Pending: ${result.pending.join(', ')}`);
  if (result.diverged) io.out(`Diverged: ${describeProblems(result.problems, migrationsDir)}.`);
  if (result.upToDate) io.out('Database schema is up to date.');
  return result.upToDate ? 0 : 1;
}

async function create(migrator: Migrator, args: readonly string[], io: CliIo): Promise<number> {
  if (args.length !== 1 || !args[0]) {
    io.err(`migrate create: expected exactly one migration name; ${USAGE}`);
    return 2;
  }
  const result = await migrator.create(args[0]);
  if (!result.created) {
    io.out(result.message);
    return 0;
  }
  io.out(`Created ${relative(process.cwd(), join(result.directory, 'migration.sql')) || result.directory}`);
  return 0;
}

async function resolveCommand(migrator: Migrator, args: readonly string[], io: CliIo): Promise<number> {
  const flag = args.find((arg) => arg.startsWith('--'));
  const names = args.filter((arg) => !arg.startsWith('--'));
  const as: ResolveAs | undefined = flag === '--applied' ? 'applied' : flag === '--rolled-back' ? 'rolled-back' : undefined;
  if (!as || names.length !== 1 || !names[0]) {
    io.err(`migrate resolve: expected --applied or --rolled-back and one migration name; ${USAGE}`);
    return 2;
  }
  await migrator.resolve(names[0], as);
  io.out(`Marked ${names[0]} as ${as}.`);
  return 0;
}

function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\s+/g, ' ').trim();
}

if (import.meta.main) {
  process.exitCode = await runMigrateCli(process.argv.slice(2), {
    env: process.env,
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  });
}
