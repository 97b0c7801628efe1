import pg from 'pg';
import { MigrationError, redactUrl } from './errors.js';

/**
 * A single pg connection for the migrator's own bookkeeping (advisory lock, reading
 * `_prisma_migrations`). Connection problems become `ConnectionFailed` with the URL minus password.
 */
export async function connect(databaseUrl: string): Promise<pg.Client> {
  let client: pg.Client;
  try {
    client = new pg.Client({ connectionString: databaseUrl, application_name: 'flotilla-migrate' });
  } catch (cause) {
    throw new MigrationError('InvalidConfig', `Invalid database URL ${redactUrl(databaseUrl)}`, { cause });
  }
  // Without a listener a dropped connection would be an unhandled 'error' event and kill the
  // process; the failure still reaches us through the pending query.
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (cause) {
    await client.end().catch(() => {});
    const detail = cause instanceof Error ? cause.message || cause.name : String(cause);
    throw new MigrationError('ConnectionFailed', `Cannot connect to ${redactUrl(databaseUrl)}: ${detail}`, { cause });
  }
  return client;
}

export async function withConnection<T>(databaseUrl: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = await connect(databaseUrl);
  try {
    return await run(client);
  } finally {
    await client.end().catch(() => {});
  }
}
