import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from './database.ts';
import { eventually } from './eventually.ts';
import { repoPath } from './paths.ts';
import { freePort } from './ports.ts';
import { makeServerTls, type TestTls } from './tls.ts';

export interface HubOptions {
  /** Reuse a database (e.g. a second replica); default: a new empty one. */
  database?: TestDatabase;
  /** Extra environment variables for the hub process. */
  env?: Record<string, string>;
  /** Serve gRPC with TLS (default true). */
  tls?: boolean;
  /** Redis prefix; default: unique per hub. Pass one to share with another replica. */
  redisPrefix?: string;
}

export interface TestHub {
  httpUrl: string;
  grpcAddress: string;
  tls: TestTls | undefined;
  adminToken: string;
  database: TestDatabase;
  redisPrefix: string;
  /** Everything the hub printed so far (stdout + stderr). */
  logs(): string;
  /** Stops the process (SIGTERM, then SIGKILL); the database stays. */
  stop(): Promise<void>;
  /** Kills the process at once (SIGKILL: no shutdown hooks run); the database stays. */
  kill(): Promise<void>;
  /** Starts the process again on the same ports and database. */
  start(): Promise<void>;
  /** Stops the process and drops the database. */
  dispose(): Promise<void>;
  /** Calls the REST API with the admin token (or the given one). */
  api(method: string, path: string, body?: unknown, token?: string | null): Promise<{ status: number; body: any }>;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Starts a real hub process (built `hub/dist/main.js`) against the local PostgreSQL and Redis. */
export async function startHub(options: HubOptions = {}): Promise<TestHub> {
  const database = options.database ?? (await createTestDatabase());
  const tls = options.tls === false ? undefined : makeServerTls();
  const [httpPort, grpcPort] = [await freePort(), await freePort()];
  const adminToken = randomBytes(24).toString('hex');
  const redisPrefix = options.redisPrefix ?? `flotilla-test:${randomBytes(4).toString('hex')}`;
  const gitCacheDir = mkdtempSync(join(tmpdir(), 'flotilla-hub-cache-'));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    DATABASE_URL: database.url,
    FLOTILLA_REDIS_PREFIX: redisPrefix,
    FLOTILLA_HTTP_HOST: '127.0.0.1',
    FLOTILLA_HTTP_PORT: String(httpPort),
    FLOTILLA_GRPC_HOST: '127.0.0.1',
    FLOTILLA_GRPC_PORT: String(grpcPort),
    FLOTILLA_BOOTSTRAP_TOKEN: adminToken,
    FLOTILLA_LOG_FORMAT: 'text',
    FLOTILLA_SECRET_KEYS: `test:${randomBytes(32).toString('base64')}`,
    FLOTILLA_GIT_ALLOW_FILE_URLS: 'true',
    FLOTILLA_GIT_CACHE_DIR: join(gitCacheDir, 'git'),
    FLOTILLA_CHART_CACHE_DIR: join(gitCacheDir, 'charts'),
    ...(tls ? { FLOTILLA_GRPC_TLS_CERT: tls.certFile, FLOTILLA_GRPC_TLS_KEY: tls.keyFile } : { FLOTILLA_GRPC_INSECURE: 'true' }),
    ...options.env,
  };
  let child: ChildProcess | undefined;
  let output = '';
  const httpUrl = `http://127.0.0.1:${httpPort}`;

  const api: TestHub['api'] = async (method, path, body, token = adminToken) => {
    const headers: Record<string, string> = {};
    if (token !== null) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${httpUrl}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON (e.g. /metrics)
    }
    return { status: response.status, body: parsed };
  };

  const start = async () => {
    const proc = spawn(process.execPath, [repoPath('hub/dist/main.js')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    running.add(proc);
    proc.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    proc.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    let exited: number | null | undefined;
    proc.once('exit', (code) => {
      exited = code;
      running.delete(proc);
    });
    await eventually(
      async () => {
        if (exited !== undefined) throw new Error(`hub exited with ${exited}:\n${output.slice(-3000)}`);
        const ready = await fetch(`${httpUrl}/readyz`);
        if (ready.status !== 200) throw new Error(`readyz ${ready.status}`);
      },
      { timeoutMs: 60_000, intervalMs: 100, description: 'hub ready' },
    ).catch((error: Error) => {
      proc.kill('SIGKILL');
      throw new Error(`${error.message}\n--- hub output ---\n${output.slice(-3000)}`);
    });
  };

  const stop = async () => {
    const proc = child;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };

  const kill = async () => {
    const proc = child;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill('SIGKILL');
    await exited;
  };

  await start();
  return {
    httpUrl,
    grpcAddress: `${tls ? 'localhost' : '127.0.0.1'}:${grpcPort}`,
    tls,
    adminToken,
    database,
    redisPrefix,
    logs: () => output,
    stop,
    kill,
    start,
    dispose: async () => {
      await stop();
      await database.drop();
      if (tls) rmSync(tls.dir, { recursive: true, force: true });
      rmSync(gitCacheDir, { recursive: true, force: true });
    },
    api,
  };
}
