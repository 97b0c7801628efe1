/**
 * Why a migration command failed. Callers (the CLI, hub start-up, tests) branch on
 * `reason`, never on message text.
 */
export type MigrationErrorReason =
  /** The WebAssembly schema engine could not be found or instantiated. */
  | 'EngineLoadFailed'
  /** Bad input: database URL, paths or migration name. */
  | 'InvalidConfig'
  /** The database server could not be reached or refused the login. */
  | 'ConnectionFailed'
  /** The migrations folder is unusable (unreadable migration.sql, other provider in the lock file). */
  | 'InvalidMigrationsDir'
  /** The database has tables but no migration history: it must be baselined, not migrated. */
  | 'DatabaseNotEmpty'
  /** The database's recorded history no longer matches the migrations folder. */
  | 'HistoryDiverged'
  /** A migration's SQL failed while being applied. */
  | 'MigrationFailed'
  /** Another process held the migration lock for longer than allowed. */
  | 'LockTimeout'
  /** Anything else the schema engine reported. */
  | 'EngineError';

export class MigrationError extends Error {
  override readonly name = 'MigrationError';
  /** Migrations the error is about (diverged, failed, ...); empty when not about specific ones. */
  readonly migrations: readonly string[];

  constructor(
    readonly reason: MigrationErrorReason,
    message: string,
    options: { cause?: unknown; migrations?: readonly string[] } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.migrations = options.migrations ?? [];
  }
}

/**
 * The schema engine's errors carry a Rust span trace after the message ("   0: sql_schema_connector::…").
 * It is noise for operators, so keep only the human part, on one line.
 */
export function engineErrorMessage(error: unknown): string {
  const raw = error instanceof Error ? error.message : String(error);
  const [human = raw] = raw.split(/\n\s*0: /);
  const text = human
    .replace(/^external connector error\s*/i, '')
    .replace(/\s+/g, ' ')
    .trim();
  return text || raw.trim();
}

/** Strip the password from a connection string before it goes into a message or a log. */
export function redactUrl(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '<unparseable database URL>';
  }
}
