import type pg from 'pg';
import { MigrationError } from './errors.js';

/**
 * Our own lock key ("Flotilla" in ASCII). It must differ from the key the schema engine locks
 * itself (72707369): we hold ours on a separate session while the engine runs, so sharing the key
 * would make the engine wait for us until its own timeout.
 */
export const MIGRATION_LOCK_KEY = 0x466c6f74696c6c61n;

const LOCK_NOT_AVAILABLE = '55P03';

/**
 * Run `fn` while holding a session-level advisory lock on `client`'s database, so hub replicas
 * starting together migrate one after the other. Waits up to `timeoutMs` (Postgres's lock_timeout
 * applies to advisory lock waits), and always unlocks, also when `fn` throws.
 */
export async function withAdvisoryLock<T>(client: pg.Client, timeoutMs: number, fn: () => Promise<T>): Promise<T> {
  await client.query(`SET lock_timeout = ${Math.max(1, Math.round(timeoutMs))}`);
  try {
    await client.query('SELECT pg_advisory_lock($1::bigint)', [MIGRATION_LOCK_KEY.toString()]);
  } catch (cause) {
    if ((cause as { code?: unknown }).code === LOCK_NOT_AVAILABLE) {
      throw new MigrationError(
        'LockTimeout',
        `Another process has held the migration lock for more than ${timeoutMs} ms; is a migration still running? (pg_locks: locktype = 'advisory', objid = ${MIGRATION_LOCK_KEY & 0xffffffffn})`,
        { cause },
      );
    }
    const detail = cause instanceof Error ? cause.message : String(cause);
    throw new MigrationError('ConnectionFailed', `Could not take the migration lock: ${detail}`, { cause });
  } finally {
    await client.query('RESET lock_timeout').catch(() => {});
  }
  try {
    return await fn();
  } finally {
    // If the connection is gone the server already released the lock with the session.
    await client.query('SELECT pg_advisory_unlock($1::bigint)', [MIGRATION_LOCK_KEY.toString()]).catch(() => {});
  }
}
