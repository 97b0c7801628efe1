import type pg from 'pg';
import { MigrationError, engineErrorMessage } from './errors.js';
import { readMigrationsTable } from './history.js';
import type { ScriptFailure } from './migration-adapter.js';

/**
 * The engine reports a failing script as a generic error; the migration it was applying is the one
 * it left recorded as started-but-unfinished. Name it, give Postgres's own message, say what to do.
 */
export async function explainApplyFailure(client: pg.Client, error: unknown, failure: ScriptFailure | undefined): Promise<unknown> {
  const rows = await readMigrationsTable(client).catch(() => null);
  const failed = (rows ?? []).filter((row) => row.finishedAt === null && row.rolledBackAt === null).map((row) => row.name);
  if (failed.length === 0) return error;
  const cause = error instanceof MigrationError && error.cause !== undefined ? error.cause : error;
  const postgres = failure
    ? `${failure.line === undefined ? '' : `line ${failure.line}: `}ERROR${failure.code ? ` ${failure.code}` : ''}: ${failure.message}` +
      `${failure.detail ? ` (${failure.detail})` : ''}${failure.hint ? ` Hint: ${failure.hint}` : ''}`
    : engineErrorMessage(cause);
  return new MigrationError(
    'MigrationFailed',
    `Migration ${failed.map((n) => `"${n}"`).join(', ')} failed: ${postgres}. ` +
      'Its SQL ran as one transaction and was rolled back (unless the script commits by itself), but the database records the migration as failed, so deploys stop here: ' +
      `fix the SQL or the database, then run "migrate resolve --rolled-back ${failed[0] ?? ''}" and deploy again.`,
    { cause, migrations: failed },
  );
}

/**
 * Prisma's P3005 ("The database schema is not empty"), reworded with what to do. The Wasm engine's
 * errors carry no error code, so this goes by the message.
 */
export function databaseNotEmptyError(error: unknown, firstMigration: string | undefined): MigrationError | undefined {
  if (!(error instanceof MigrationError && /database schema is not empty/i.test(error.message))) return undefined;
  return new MigrationError(
    'DatabaseNotEmpty',
    'The database already has tables but no migration history (_prisma_migrations), so migrations cannot be applied safely. ' +
      'Point DATABASE_URL at an empty database, or, if its schema already matches the migrations, baseline it with ' +
      `"migrate resolve --applied <migration>" for each migration it already contains${firstMigration ? ` (e.g. ${firstMigration})` : ''}.`,
    { cause: error },
  );
}
