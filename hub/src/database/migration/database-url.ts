import { MigrationError, redactUrl } from './errors.js';

/** Fail fast, before any connection, on URLs the migrator would mishandle. */
export function checkDatabaseUrl(databaseUrl: string): void {
  if (!databaseUrl) throw new MigrationError('InvalidConfig', 'No database URL given (set DATABASE_URL).');
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch (cause) {
    throw new MigrationError('InvalidConfig', `DATABASE_URL is not a URL: ${redactUrl(databaseUrl)}`, { cause });
  }
  if (url.protocol !== 'postgresql:' && url.protocol !== 'postgres:') {
    throw new MigrationError('InvalidConfig', `DATABASE_URL must be a postgresql:// URL, got ${url.protocol}//…`);
  }
  // Prisma's ?schema= is ignored by pg and by the engine's adapter, so migrations would silently
  // land in "public". Refuse instead of guessing.
  if (url.searchParams.has('schema')) {
    throw new MigrationError(
      'InvalidConfig',
      'DATABASE_URL has a ?schema= parameter, which the migrator does not support; use the default schema (public).',
    );
  }
}
