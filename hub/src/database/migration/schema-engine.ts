import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import type {
  ApplyMigrationsInput,
  ApplyMigrationsOutput,
  DiagnoseMigrationHistoryInput,
  DiagnoseMigrationHistoryOutput,
  DiffParams,
  DiffResult,
  MarkMigrationAppliedInput,
  MarkMigrationRolledBackInput,
  SchemaContainer,
  SchemaEngine,
} from '@prisma/schema-engine-wasm';
import { MigrationError, engineErrorMessage } from './errors.js';
import { type ScriptFailure, createMigrationAdapter } from './migration-adapter.js';

type EngineBindings = typeof import('@prisma/schema-engine-wasm/schema_engine_bg');

/**
 * The part of the engine the migrator uses, with the engine's own input/output types.
 *
 * There is deliberately no `createMigration`: in the Wasm build it never receives the adapter
 * factory, so it cannot get a shadow database ("PostgreSQL shadow DB must be provided through an
 * external factory"). `diff` from `{ tag: 'migrations' }` does get it, and is what `create` uses.
 */
export interface SchemaEngineClient {
  applyMigrations(input: ApplyMigrationsInput): Promise<ApplyMigrationsOutput>;
  diff(params: DiffParams): Promise<DiffResult>;
  diagnoseMigrationHistory(input: DiagnoseMigrationHistoryInput): Promise<DiagnoseMigrationHistoryOutput>;
  markMigrationApplied(input: MarkMigrationAppliedInput): Promise<void>;
  markMigrationRolledBack(input: MarkMigrationRolledBackInput): Promise<void>;
  /** Postgres's unreworded error for the last migration script that failed, if any. */
  lastScriptFailure(): ScriptFailure | undefined;
  /** Free the engine and end every connection it opened (this also releases the engine's own advisory lock). */
  close(): Promise<void>;
}

export interface OpenSchemaEngineOptions {
  databaseUrl: string;
  /** Prisma schema files; the engine reads the datasource provider from them. */
  schema: readonly SchemaContainer[];
  /** Receives the engine's JSON log lines. */
  log?: (line: string) => void;
}

/** Used when no schema.prisma ships (deploy/status only need the provider). */
export const POSTGRES_ONLY_SCHEMA: SchemaContainer = {
  path: 'schema.prisma',
  content: 'datasource db {\n  provider = "postgresql"\n}\n',
};

const require = createRequire(import.meta.url);
let bindings: Promise<EngineBindings> | undefined;

/**
 * Instantiate the WebAssembly schema engine once per process. The package's main entry imports the
 * .wasm file as an ES module, which Node does not do without a flag, so we do what it does by hand:
 * instantiate the bytes with the JS glue as import object, hand the exports to the glue, start it.
 */
export function loadSchemaEngine(): Promise<EngineBindings> {
  bindings ??= instantiate().catch((cause: unknown) => {
    bindings = undefined;
    throw new MigrationError(
      'EngineLoadFailed',
      `Could not load the Prisma schema engine (@prisma/schema-engine-wasm): ${cause instanceof Error ? cause.message : String(cause)}. Is the package installed?`,
      { cause },
    );
  });
  return bindings;
}

interface WasmApi {
  instantiate(
    bytes: Uint8Array,
    imports: Record<string, Record<string, unknown>>,
  ): Promise<{ instance: { exports: Record<string, unknown> } }>;
}

async function instantiate(): Promise<EngineBindings> {
  const glue = await import('@prisma/schema-engine-wasm/schema_engine_bg');
  const wasmPath = join(dirname(require.resolve('@prisma/schema-engine-wasm')), 'schema_engine_bg.wasm');
  const bytes = await readFile(wasmPath);
  // lib "es2023" has no WebAssembly types; this is the one call we need.
  const { WebAssembly } = globalThis as unknown as { WebAssembly: WasmApi };
  const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': withUnrefTimers(glue) });
  glue.__wbg_set_wasm(instance.exports);
  (instance.exports['__wbindgen_start'] as () => void)();
  return glue;
}

/**
 * The engine races its advisory-lock query against a 10 s `setTimeout` and has no way to clear it
 * (the glue imports no clearTimeout), so every command kept the process alive for 10 s after it had
 * finished. The timers are only ever timeouts next to real I/O, which keeps the loop alive by itself,
 * so unref them.
 */
function withUnrefTimers(glue: EngineBindings): Record<string, unknown> {
  const imports: Record<string, unknown> = { ...glue };
  for (const name of Object.keys(glue)) {
    if (name.startsWith('__wbg_setTimeout_')) {
      imports[name] = (callback: () => void, ms: number) => setTimeout(callback, ms >>> 0).unref();
    }
  }
  return imports;
}

/** Engine git hash, for diagnostics. */
export async function schemaEngineVersion(): Promise<string> {
  return (await loadSchemaEngine()).version();
}

/**
 * An engine bound to one database. Open one per command and close it: engines are cheap, and a
 * closed engine has released its connections and its advisory lock.
 */
export async function openSchemaEngine(options: OpenSchemaEngineOptions): Promise<SchemaEngineClient> {
  const { SchemaEngine } = await loadSchemaEngine();
  const adapter = createMigrationAdapter(options.databaseUrl);
  const log = options.log ?? (() => {});
  let engine: SchemaEngine;
  try {
    engine = await SchemaEngine.new(
      { datamodels: options.schema.map((file): [string, string] => [file.path, file.content]) },
      (line: string) => log(line),
      bindMigrationAwareSqlAdapterFactory(adapter.factory),
    );
  } catch (cause) {
    await adapter.close();
    throw new MigrationError('EngineError', `Schema engine failed to start: ${engineErrorMessage(cause)}`, { cause });
  }

  const call = async <T>(operation: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (cause) {
      throw new MigrationError('EngineError', `${operation}: ${engineErrorMessage(cause)}`, { cause });
    }
  };

  let closed: Promise<void> | undefined;
  return {
    applyMigrations: (input) => call('applyMigrations', () => engine.applyMigrations(input)),
    diff: (params) => call('diff', () => engine.diff(params)),
    diagnoseMigrationHistory: (input) =>
      call('diagnoseMigrationHistory', () => engine.diagnoseMigrationHistory(input)),
    markMigrationApplied: (input) =>
      call('markMigrationApplied', async () => {
        await engine.markMigrationApplied(input);
      }),
    markMigrationRolledBack: (input) =>
      call('markMigrationRolledBack', async () => {
        await engine.markMigrationRolledBack(input);
      }),
    lastScriptFailure: () => adapter.lastScriptFailure(),
    close: () => {
      closed ??= (async () => {
        engine.free();
        await adapter.close();
      })();
      return closed;
    },
  };
}
