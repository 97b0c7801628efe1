import { readFile } from 'node:fs/promises';
import type { MigrationList, SchemaContainer, SchemaFilter } from '@prisma/schema-engine-wasm';
import { withAdvisoryLock } from './advisory-lock.js';
import { databaseNotEmptyError, explainApplyFailure } from './apply-failure.js';
import { checkDatabaseUrl } from './database-url.js';
import { MigrationError } from './errors.js';
import {
  type AppliedMigration,
  type HistoryProblem,
  describeProblems,
  historyProblems,
  readMigrationsTable,
} from './history.js';
import { lockfileContent, migrationNames, readMigrationsDir, writeMigration } from './migrations-dir.js';
import { migrationSlug, migrationTimestamp } from './names.js';
import { withConnection } from './pg-session.js';
import { POSTGRES_ONLY_SCHEMA, type SchemaEngineClient, openSchemaEngine } from './schema-engine.js';

export interface MigratorOptions {
  /** postgresql://… of the database to migrate (create() also creates its shadow database on this server). */
  databaseUrl: string;
  /** Folder in Prisma's layout: `<timestamp>_<name>/migration.sql` + `migration_lock.toml`. */
  migrationsDir: string;
  /**
   * schema.prisma. Required by create(); deploy/status/resolve only need the provider and fall back
   * to a postgres-only datasource when it is not given, so a runtime image need not ship it.
   */
  schemaPath?: string;
  /** How long deploy/resolve wait for another process holding the migration lock. Default 10 minutes. */
  lockTimeoutMs?: number;
  /** Receives the schema engine's JSON log lines (default: dropped). */
  log?: (line: string) => void;
}

export interface MigrationStatus {
  /** Migrations in the folder, in apply order. */
  local: string[];
  /** Migrations the database has applied successfully (not failed, not rolled back), oldest first. */
  applied: AppliedMigration[];
  /** Local migrations the database has not applied, in apply order (includes failed ones). */
  pending: string[];
  /** What makes the history diverge; deploy refuses while this is non-empty. */
  problems: HistoryProblem[];
  diverged: boolean;
  /** Nothing pending and nothing diverging. */
  upToDate: boolean;
  /** false before the first deploy. */
  hasMigrationsTable: boolean;
}

export interface DeployResult {
  /** Migrations this call applied, in order; empty when the database was up to date. */
  applied: string[];
}

export type CreateResult =
  | { created: true; name: string; directory: string; sql: string }
  | { created: false; message: string };

export type ResolveAs = 'applied' | 'rolled-back';

export interface Migrator {
  status(): Promise<MigrationStatus>;
  /** `prisma migrate deploy`, refusing when the history diverges; serialized across processes. */
  deploy(): Promise<DeployResult>;
  /** `prisma migrate dev --create-only`: diff the folder (replayed on a shadow database) against the schema. */
  create(name: string): Promise<CreateResult>;
  /** `prisma migrate resolve`: record a migration as applied, or a failed one as rolled back. */
  resolve(migration: string, as: ResolveAs): Promise<void>;
}

const NO_FILTER: SchemaFilter = { externalTables: [], externalEnums: [] };
const DEFAULT_LOCK_TIMEOUT_MS = 10 * 60_000;

export function createMigrator(options: MigratorOptions): Migrator {
  const { databaseUrl, migrationsDir } = options;
  checkDatabaseUrl(databaseUrl);
  const lockTimeoutMs = options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;

  const withEngine = async <T>(schema: readonly SchemaContainer[], run: (engine: SchemaEngineClient) => Promise<T>): Promise<T> => {
    const engine = await openSchemaEngine({ databaseUrl, schema, ...(options.log ? { log: options.log } : {}) });
    try {
      return await run(engine);
    } finally {
      await engine.close();
    }
  };

  const runtimeSchema = async (): Promise<SchemaContainer[]> =>
    options.schemaPath ? [await readSchema(options.schemaPath)] : [POSTGRES_ONLY_SCHEMA];

  const diagnose = async (engine: SchemaEngineClient, migrationsList: MigrationList) =>
    engine.diagnoseMigrationHistory({ migrationsList, optInToShadowDatabase: false, filters: NO_FILTER });

  return {
    async status() {
      const migrationsList = await readMigrationsDir(migrationsDir);
      const schema = await runtimeSchema();
      return withConnection(databaseUrl, (client) =>
        withEngine(schema, async (engine) => {
          const diagnosis = await diagnose(engine, migrationsList);
          const rows = (await readMigrationsTable(client)) ?? [];
          const applied = rows.filter((row) => row.finishedAt !== null && row.rolledBackAt === null);
          const appliedNames = new Set(applied.map((row) => row.name));
          const pending = migrationNames(migrationsList).filter((name) => !appliedNames.has(name));
          const problems = historyProblems(diagnosis);
          return {
            local: migrationNames(migrationsList),
            applied,
            pending,
            problems,
            diverged: problems.length > 0,
            upToDate: problems.length === 0 && pending.length === 0,
            hasMigrationsTable: diagnosis.hasMigrationsTable,
          };
        }),
      );
    },

    async deploy() {
      const migrationsList = await readMigrationsDir(migrationsDir);
      const schema = await runtimeSchema();
      return withConnection(databaseUrl, (client) =>
        withAdvisoryLock(client, lockTimeoutMs, () =>
          // Diagnose and apply under the same lock: a replica that waited must see what the other applied.
          withEngine(schema, async (engine) => {
            const problems = historyProblems(await diagnose(engine, migrationsList));
            if (problems.length > 0) {
              throw new MigrationError(
                'HistoryDiverged',
                `Refusing to migrate: the database's migration history diverges from ${migrationsDir}. ${describeProblems(problems, migrationsDir)}. Nothing was applied.`,
                { migrations: [...new Set(problems.map((p) => p.migration))] },
              );
            }
            try {
              const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList, filters: NO_FILTER });
              return { applied: appliedMigrationNames };
            } catch (error) {
              throw (
                databaseNotEmptyError(error, migrationNames(migrationsList)[0]) ??
                (await explainApplyFailure(client, error, engine.lastScriptFailure()))
              );
            }
          }),
        ),
      );
    },

    async create(name) {
      const slug = migrationSlug(name);
      if (!options.schemaPath) throw new MigrationError('InvalidConfig', 'create() needs schemaPath (schema.prisma).');
      const schema = await readSchema(options.schemaPath);
      const migrationsList = await readMigrationsDir(migrationsDir);
      // The engine replays the folder on a shadow database (created and dropped by the adapter) and
      // diffs the result against the schema: what `prisma migrate dev --create-only` does, minus
      // touching the main database. Connecting first makes an unreachable server a
      // ConnectionFailed rather than an engine error.
      const diff = await withConnection(databaseUrl, () =>
        withEngine([schema], (engine) =>
          engine.diff({
            // The engine picks the connector from the lock file; a first migration has none yet.
            from: {
              tag: 'migrations',
              ...migrationsList,
              lockfile: { ...migrationsList.lockfile, content: migrationsList.lockfile.content ?? lockfileContent() },
            },
            to: { tag: 'schemaDatamodel', files: [schema] },
            script: true,
            exitCode: true,
            filters: NO_FILTER,
          }),
        ),
      );
      // With exitCode: true the engine answers 2 for "there is a difference", 0 for none.
      const sql = diff.stdout ?? '';
      if (diff.exitCode !== 2 || sql.trim() === '') {
        return {
          created: false,
          message: `No schema changes: ${options.schemaPath} matches the migrations in ${migrationsDir}; nothing was written.`,
        };
      }
      const migrationName = `${migrationTimestamp(new Date())}_${slug}`;
      const directory = await writeMigration(migrationsDir, migrationName, sql);
      return { created: true, name: migrationName, directory, sql };
    },

    async resolve(migration, as) {
      const migrationsList = await readMigrationsDir(migrationsDir);
      const schema = await runtimeSchema();
      await withConnection(databaseUrl, (client) =>
        withAdvisoryLock(client, lockTimeoutMs, () =>
          withEngine(schema, (engine) =>
            as === 'applied'
              ? engine.markMigrationApplied({ migrationName: migration, migrationsList })
              : engine.markMigrationRolledBack({ migrationName: migration }),
          ),
        ),
      );
    },
  };
}

async function readSchema(schemaPath: string): Promise<SchemaContainer> {
  try {
    return { path: schemaPath, content: await readFile(schemaPath, 'utf8') };
  } catch (cause) {
    throw new MigrationError('InvalidConfig', `Cannot read Prisma schema ${schemaPath}: ${(cause as Error).message}`, { cause });
  }
}
