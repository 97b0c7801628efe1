import type { DiagnoseMigrationHistoryOutput } from '@prisma/schema-engine-wasm';
import type pg from 'pg';

/** One row of Prisma's `_prisma_migrations` table. */
export interface AppliedMigration {
  name: string;
  checksum: string;
  startedAt: Date;
  /** null while running or when it failed. */
  finishedAt: Date | null;
  rolledBackAt: Date | null;
  /** The error, for a failed migration. */
  logs: string | null;
}

export type HistoryProblemKind =
  /** Applied, but its migration.sql changed since (checksum mismatch). */
  | 'edited'
  /** Recorded in the database, but there is no such folder. */
  | 'missingLocally'
  /** Started and failed; recorded as failed until resolved. */
  | 'failed';

export interface HistoryProblem {
  kind: HistoryProblemKind;
  migration: string;
}

/**
 * Rows of `_prisma_migrations`, oldest first, or null when the table does not exist yet (nothing was
 * ever deployed). Read directly because the engine's diagnosis returns names only.
 */
export async function readMigrationsTable(client: pg.Client): Promise<AppliedMigration[] | null> {
  const exists = await client.query<{ table: string | null }>(`SELECT to_regclass('_prisma_migrations')::text AS "table"`);
  if (!exists.rows[0]?.table) return null;
  const result = await client.query<{
    migration_name: string;
    checksum: string;
    started_at: Date;
    finished_at: Date | null;
    rolled_back_at: Date | null;
    logs: string | null;
  }>(
    'SELECT migration_name, checksum, started_at, finished_at, rolled_back_at, logs FROM _prisma_migrations ORDER BY started_at, migration_name',
  );
  return result.rows.map((row) => ({
    name: row.migration_name,
    checksum: row.checksum,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    rolledBackAt: row.rolled_back_at,
    logs: row.logs,
  }));
}

/** Everything in the engine's diagnosis that makes `deploy` unsafe, one entry per migration and kind. */
export function historyProblems(diagnosis: DiagnoseMigrationHistoryOutput): HistoryProblem[] {
  const problems: HistoryProblem[] = [];
  const add = (kind: HistoryProblemKind, names: readonly string[]): void => {
    for (const migration of names) {
      if (!problems.some((p) => p.kind === kind && p.migration === migration)) problems.push({ kind, migration });
    }
  };
  add('failed', diagnosis.failedMigrationNames);
  add('edited', diagnosis.editedMigrationNames);
  const history = diagnosis.history;
  if (history?.diagnostic === 'migrationsDirectoryIsBehind' || history?.diagnostic === 'historiesDiverge') {
    add('missingLocally', history.unpersistedMigrationNames);
  }
  return problems;
}

/** One sentence per problem that says what happened and what to do about it. */
export function describeProblems(problems: readonly HistoryProblem[], migrationsDir: string): string {
  const names = (kind: HistoryProblemKind): string[] => problems.filter((p) => p.kind === kind).map((p) => p.migration);
  const parts: string[] = [];
  const edited = names('edited');
  if (edited.length > 0) {
    parts.push(
      `${list(edited)} ${edited.length === 1 ? 'was' : 'were'} changed in ${migrationsDir} after being applied (checksum mismatch): restore the applied version from version control and put the change in a new migration`,
    );
  }
  const missing = names('missingLocally');
  if (missing.length > 0) {
    parts.push(
      `${list(missing)} ${missing.length === 1 ? 'is' : 'are'} recorded in _prisma_migrations but missing from ${migrationsDir}: run a hub build that contains ${missing.length === 1 ? 'it' : 'them'}, or restore the folder${missing.length === 1 ? '' : 's'}`,
    );
  }
  const failed = names('failed');
  if (failed.length > 0) {
    parts.push(
      `${list(failed)} failed earlier and ${failed.length === 1 ? 'is' : 'are'} recorded as failed: fix the cause, then run "migrate resolve --rolled-back <name>" to retry it (or "--applied <name>" if you completed it by hand)`,
    );
  }
  return parts.join('; ');
}

function list(names: readonly string[]): string {
  return names.map((n) => `"${n}"`).join(', ');
}
