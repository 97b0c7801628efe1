import { randomUUID } from 'node:crypto';
import { PrismaPg } from '@prisma/adapter-pg';
import {
  DriverAdapterError,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { MigrationError, redactUrl } from './errors.js';

type PgAdapter = Awaited<ReturnType<PrismaPg['connect']>>;

/** Prefix of the throw-away databases `create` diffs against; tests look for leftovers by it. */
export const SHADOW_DATABASE_PREFIX = 'flotilla_shadow_';

/** Postgres's own report of the last failed script, which the engine rewords (42P01 → "No such table"). */
export interface ScriptFailure {
  message: string;
  code: string | undefined;
  detail: string | undefined;
  hint: string | undefined;
  /** 1-based line in the script, from Postgres's character position. */
  line: number | undefined;
}

export interface MigrationAdapter {
  /** Give this to `SchemaEngine.new` (after `bindMigrationAwareSqlAdapterFactory`). */
  readonly factory: SqlMigrationAwareDriverAdapterFactory;
  lastScriptFailure(): ScriptFailure | undefined;
  /** Close every pool the engine opened and drop any shadow database still around. Idempotent. */
  close(): Promise<void>;
}

/**
 * A Postgres adapter factory for the schema engine, built on `@prisma/adapter-pg` with three fixes
 * that matter for migrations:
 *
 * - `executeScript`: adapter-pg splits scripts on every `;` and runs the pieces one by one on the
 *   pool. That breaks SQL with `;` inside strings, comments or function bodies, and a failing
 *   migration is left half-applied. Sending the whole script as one simple-protocol query is what
 *   the native engine does: Postgres runs it as one implicit transaction, so it applies fully or
 *   not at all (unless the script itself manages transactions).
 * - `connectToShadowDb`: adapter-pg creates a shadow database but opens its pool with
 *   `{ connectionString, database }`, and pg lets the connection string win: the "shadow" adapter
 *   is connected to the main database (checked: `current_database()`), where the engine would
 *   replay the whole migration history. We create the shadow database ourselves, point a URL at it,
 *   and drop it when the engine disposes it (or at the latest in `close()`).
 * - Catalog types: adapter-pg 7.10.1 rejects Postgres's internal `"char"` type (and the reg* types)
 *   with "Column type 'char' could not be deserialized", and the engine's schema describer selects
 *   such catalog columns (`relkind`, `contype`, …), so every diff against a database failed. pg
 *   already hands those values over as strings; we relabel the columns as text before adapter-pg
 *   looks at them.
 *
 * Every adapter handed out is tracked and disposed in `close()`: the engine takes its own
 * `pg_advisory_lock(72707369)` on a pooled connection and never unlocks it, so the lock is only
 * released when the pool ends. Leaving pools open would block the next engine for its 10 s timeout.
 */
export function createMigrationAdapter(databaseUrl: string): MigrationAdapter {
  const main = new PrismaPg({ connectionString: databaseUrl, application_name: 'flotilla-migrate' });
  const open = new Set<() => Promise<void>>();
  let lastScriptFailure: ScriptFailure | undefined;

  const track = (adapter: PgAdapter, afterDispose?: () => Promise<void>): SqlDriverAdapter => {
    const pool = adapter.underlyingDriver();
    relabelCatalogTypesAsText(pool);
    const originalDispose = adapter.dispose.bind(adapter);
    let disposed: Promise<void> | undefined;
    const dispose = (): Promise<void> => {
      // pg throws when a pool is ended twice; the engine and close() may both dispose.
      disposed ??= (async () => {
        open.delete(dispose);
        try {
          await originalDispose();
        } finally {
          await afterDispose?.();
        }
      })();
      return disposed;
    };
    open.add(dispose);
    return Object.assign(adapter, {
      executeScript: async (script: string): Promise<void> => {
        try {
          await pool.query(script);
        } catch (error) {
          if (error instanceof pg.DatabaseError) lastScriptFailure = scriptFailure(error, script);
          throw toDriverAdapterError(error);
        }
      },
      dispose,
    });
  };

  const factory: SqlMigrationAwareDriverAdapterFactory = {
    provider: main.provider,
    adapterName: main.adapterName,
    connect: async () => track(await main.connect()),
    connectToShadowDb: async () => {
      const name = `${SHADOW_DATABASE_PREFIX}${randomUUID().replaceAll('-', '')}`;
      await adminQuery(databaseUrl, `CREATE DATABASE "${name}"`);
      const shadowUrl = withDatabase(databaseUrl, name);
      const shadow = new PrismaPg({ connectionString: shadowUrl, application_name: 'flotilla-migrate-shadow' });
      try {
        return track(await shadow.connect(), () => dropDatabase(databaseUrl, name));
      } catch (error) {
        await dropDatabase(databaseUrl, name);
        throw error;
      }
    },
  };

  return {
    factory,
    lastScriptFailure: () => lastScriptFailure,
    close: async () => {
      const results = await Promise.allSettled([...open].map((dispose) => dispose()));
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    },
  };
}

const TEXT_OID = 25;
/** `"char"`, pg_node_tree and the reg* alias types: text on the wire, unknown to adapter-pg. */
const CATALOG_TEXT_OIDS = new Set([18, 24, 194, 2202, 2203, 2204, 2205, 2206, 3734, 3769, 4089, 4096]);

function relabelCatalogTypesAsText(pool: pg.Pool): void {
  const relabel = (result: unknown): unknown => {
    for (const one of Array.isArray(result) ? result : [result]) {
      for (const field of (one as Partial<pg.QueryResult>).fields ?? []) {
        if (CATALOG_TEXT_OIDS.has(field.dataTypeID)) field.dataTypeID = TEXT_OID;
      }
    }
    return result;
  };
  const query = pool.query.bind(pool) as (...args: unknown[]) => unknown;
  // adapter-pg only uses the promise form (pool.query(config)); callback calls pass through.
  pool.query = ((...args: unknown[]) => {
    const pending = query(...args);
    return pending instanceof Promise ? pending.then(relabel) : pending;
  }) as typeof pool.query;
}

/** The same connection string pointing at another database on the same server. */
export function withDatabase(databaseUrl: string, database: string): string {
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch (cause) {
    throw new MigrationError('InvalidConfig', `DATABASE_URL is not a valid URL: ${redactUrl(databaseUrl)}`, { cause });
  }
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

async function dropDatabase(databaseUrl: string, name: string): Promise<void> {
  // FORCE (Postgres 13+): a pool the engine forgot to end must not keep the shadow alive.
  await adminQuery(databaseUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
}

async function adminQuery(databaseUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'flotilla-migrate' });
  client.on('error', () => {
    // A dropped connection surfaces through the pending query; without a listener pg would crash the process.
  });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function scriptFailure(error: pg.DatabaseError, script: string): ScriptFailure {
  const position = Number(error.position);
  return {
    message: error.message,
    code: error.code,
    detail: error.detail,
    hint: error.hint,
    line: Number.isInteger(position) && position > 0 ? script.slice(0, position - 1).split('\n').length : undefined,
  };
}

/**
 * The engine only understands driver errors in adapter-utils' shape; anything else ends up as an
 * opaque "GenericJs" error. Keep Postgres's own message, code and hint.
 */
function toDriverAdapterError(error: unknown): unknown {
  if (error instanceof pg.DatabaseError) {
    return new DriverAdapterError({
      kind: 'postgres',
      code: error.code ?? 'N/A',
      severity: error.severity ?? 'N/A',
      message: error.message,
      detail: error.detail,
      column: error.column,
      hint: error.hint,
      originalCode: error.code,
      originalMessage: error.message,
    });
  }
  return error;
}
