/**
 * Issue 9, the REST edge: what the hub accepts before any feature code runs —
 * media types, body presence and size, authentication before the body is read,
 * field types and ranges, NUL characters — plus the create-or-replace race of
 * bundles, the last admin token, and what unauthenticated callers learn.
 */
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpuSeconds, procStatus } from '../../bench/support/proc.ts';
import { ADMIN_DATABASE_URL, query } from '../support/database.ts';
import { eventually } from '../support/eventually.ts';
import { startHub, type TestHub } from '../support/hub.ts';

const MiB = 1024 * 1024;

let hub: TestHub;
beforeAll(async () => {
  hub = await startHub();
});
afterAll(async () => {
  await hub?.dispose();
});

/** A request with full control over headers and body (TestHub.api always sends JSON). */
async function raw(method: string, path: string, init: { body?: string | Buffer; headers?: Record<string, string>; token?: string | null } = {}) {
  const token = init.token === undefined ? hub.adminToken : init.token;
  const headers: Record<string, string> = { ...(token === null ? {} : { authorization: `Bearer ${token}` }), ...init.headers };
  const response = await fetch(`${hub.httpUrl}${path}`, { method, headers, ...(init.body === undefined ? {} : { body: init.body }) });
  const text = await response.text();
  let body: any = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON
  }
  return { status: response.status, headers: response.headers, body };
}

/**
 * Calls `url` every 50 ms from a separate Node process until stopped; resolves
 * each call's latency in ms, or what went wrong instead.
 */
function probeHealth(url: string): { answering: Promise<void>; stop(): Promise<(number | string)[]> } {
  const script = `
    let stop = false;
    process.stdin.on('end', () => (stop = true)).resume();
    (async () => {
      while (!stop) {
        const started = Date.now();
        try {
          const res = await fetch(process.argv[1], { signal: AbortSignal.timeout(5000) });
          await res.text();
          console.log(JSON.stringify(res.status === 200 ? Date.now() - started : 'status ' + res.status));
        } catch (error) {
          console.log(JSON.stringify(error.message));
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();`;
  const child = spawn(process.execPath, ['-e', script, url], { stdio: ['pipe', 'pipe', 'inherit'] });
  let output = '';
  const answering = new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    answering,
    stop: async () => {
      child.stdin.end();
      await exited;
      return output.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as number | string);
    },
  };
}

/** The pid of this hub process: the child whose environment holds its HTTP port. */
function hubPid(of: TestHub): number {
  const port = `FLOTILLA_HTTP_PORT=${new URL(of.httpUrl).port}`;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0').includes(port)) return Number(entry);
    } catch {
      // not ours, or exited meanwhile
    }
  }
  throw new Error(`no process with ${port}`);
}

const tokenCount = async () => (await query<{ n: number }>(hub.database.url, 'SELECT count(*)::int AS n FROM registration_tokens'))[0]!.n;

describe('media type and body presence', () => {
  it('answers 415 naming application/json for a text/plain create, and creates nothing', async () => {
    const before = await tokenCount();
    const res = await raw('POST', '/api/v1/registration-tokens', { body: JSON.stringify({ description: 'plain' }), headers: { 'content-type': 'text/plain' } });
    expect(res).toMatchObject({ status: 415, body: { error: 'UnsupportedMediaType' } });
    expect(res.body.message).toContain('application/json');
    // fetch sends a Buffer without any content-type.
    const missing = await raw('POST', '/api/v1/registration-tokens', { body: Buffer.from(JSON.stringify({ description: 'untyped' })) });
    expect(missing).toMatchObject({ status: 415, body: { error: 'UnsupportedMediaType' } });
    expect(await tokenCount()).toBe(before);
  });

  it('answers 400 naming body for a create without a body, empty or absent', async () => {
    const before = await tokenCount();
    for (const init of [{}, { body: '', headers: { 'content-type': 'application/json' } }]) {
      const res = await raw('POST', '/api/v1/registration-tokens', init);
      expect(res, JSON.stringify(init)).toMatchObject({ status: 400, body: { error: 'ValidationFailed', field: 'body' } });
    }
    expect(await tokenCount()).toBe(before);
  });

  it('answers 400 naming body for malformed JSON', async () => {
    const res = await raw('POST', '/api/v1/registration-tokens', { body: '{"description": ', headers: { 'content-type': 'application/json' } });
    expect(res).toMatchObject({ status: 400, body: { error: 'ValidationFailed', field: 'body' } });
  });
});

describe('authentication before the body', () => {
  it('answers 12 parallel unauthenticated 63 MB POSTs with 401 without buffering them, and /healthz answers meanwhile', async () => {
    const pid = hubPid(hub);
    const body = Buffer.from(`{"description":"${'x'.repeat(63 * MiB)}"}`);
    const rss = () => procStatus(pid).VmRSS! * 1024;
    const baseline = rss();
    const cpuBefore = cpuSeconds(pid);
    const started = Date.now();
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, rss())), 20);
    // Probed from another process: this one is busy sending 756 MB, which would slow its own probes.
    const prober = probeHealth(`${hub.httpUrl}/healthz`);
    await prober.answering;
    let statuses: number[];
    try {
      // The hub answers 401 and closes before the body is read; a client still writing may see that close as
      // EPIPE / ECONNRESET before it reads the answer (timing: seen once in CI). That is a refusal too.
      const results = await Promise.all(
        Array.from({ length: 12 }, () =>
          raw('POST', '/api/v1/registration-tokens', { body, token: null, headers: { 'content-type': 'application/json' } }).then(
            (r) => r.status,
            (error: Error & { cause?: { code?: string } }) => {
              if (error.cause?.code === 'EPIPE' || error.cause?.code === 'ECONNRESET') return 'closed' as const;
              throw error;
            },
          ),
        ),
      );
      statuses = results.filter((r): r is number => r !== 'closed');
    } finally {
      clearInterval(sampler);
    }
    const health = await prober.stop();
    peak = Math.max(peak, rss());
    console.log(`63 MB x 12 unauthenticated: RSS ${(baseline / MiB).toFixed(0)} -> peak ${(peak / MiB).toFixed(0)} MiB; hub CPU ${(cpuSeconds(pid) - cpuBefore).toFixed(1)} s in ${Date.now() - started} ms; /healthz ms: ${health.join(', ')}`);
    expect((peak - baseline) / MiB, 'RSS growth in MiB').toBeLessThan(64);
    expect(statuses.length, 'answered (the rest were cut while still sending)').toBeGreaterThan(0);
    expect(statuses).toEqual(Array(statuses.length).fill(401));
    expect(health.length).toBeGreaterThan(0);
    expect(health.every((h) => typeof h === 'number' && h < 2_000), `healthz: ${health.join(', ')}`).toBe(true);
  });

  it('answers a readonly token 403 for a write without reading its body', async () => {
    const viewer = (await hub.api('POST', '/api/v1/api-tokens', { name: 'edge-viewer', role: 'readonly' })).body.token;
    const res = await raw('POST', '/api/v1/registration-tokens', { body: 'not even json', token: viewer, headers: { 'content-type': 'application/json' } });
    expect(res).toMatchObject({ status: 403, body: { error: 'ApiRoleForbidden' } });
  });
});

describe('body size limits', () => {
  it('answers 413 naming the limit for an oversized non-bundle body', async () => {
    const before = await tokenCount();
    const res = await hub.api('POST', '/api/v1/registration-tokens', { description: 'x'.repeat(300 * 1024) });
    expect(res).toMatchObject({ status: 413, body: { error: 'PayloadTooLarge' } });
    expect(res.body.message).toContain('256 KiB');
    expect(await tokenCount()).toBe(before);
  });

  it('still accepts bundles far above the default limit', async () => {
    const name = `big-${Date.now()}`;
    const resources = [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { blob: 'x'.repeat(2 * MiB) } }];
    const res = await hub.api('PUT', `/api/v1/bundles/${name}`, { resources, targets: [] });
    expect(res.status).toBe(201);
  });
});

describe('concurrent create-or-replace of a bundle', () => {
  it('answers all 10 concurrent PUTs of a new bundle 2xx and keeps one bundle holding one writer`s content', async () => {
    const name = `race-${Date.now()}`;
    const put = (i: number) =>
      hub.api('PUT', `/api/v1/bundles/${name}`, { resources: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { writer: String(i) } }], targets: [] });
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => put(i)));
    expect(results.map((r) => r.status).sort(), JSON.stringify(results.filter((r) => r.status >= 300).map((r) => r.body))).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    const listed = (await hub.api('GET', `/api/v1/bundles?namePrefix=${name}`)).body.items;
    expect(listed).toHaveLength(1);
    const revisions = new Set(results.map((r) => r.body.revision));
    expect(revisions.size).toBe(10);
    expect(revisions).toContain(listed[0].revision);
  });
});

describe('concurrent creates by name elsewhere', () => {
  it('answers 10 concurrent creates of one cluster group one 201 and nine 409 ClusterGroupExists, never 500', async () => {
    const name = `race-${Date.now()}`;
    const results = await Promise.all(Array.from({ length: 10 }, () => hub.api('POST', '/api/v1/cluster-groups', { name, selector: {} })));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409, 409, 409, 409, 409]);
    expect(results.filter((r) => r.status === 409).every((r) => r.body.error === 'ClusterGroupExists')).toBe(true);
  });
});

describe('field types and ranges', () => {
  it.each([
    [{ ttlSeconds: 'x' }, 'body.ttlSeconds', 'must be an integer, not a string'],
    [{ ttlSeconds: 61.5 }, 'body.ttlSeconds', 'must be an integer'],
    [{ ttlSeconds: null }, 'body.ttlSeconds', 'must be an integer, not null'],
    [{ labels: { env: 1 } }, 'body.labels.env', 'must be a string, not a number'],
    [{ maxUses: 2 ** 31 }, 'body.maxUses', 'must be at most 2147483647'],
  ])('rejects %j naming %s: %s', async (input, field, message) => {
    const before = await tokenCount();
    const res = await hub.api('POST', '/api/v1/registration-tokens', input);
    expect(res).toMatchObject({ status: 400, body: { error: 'ValidationFailed', field, message: `${field}: ${message}` } });
    expect(await tokenCount()).toBe(before);
  });

  it('still says "is required" for a field that is missing', async () => {
    const res = await hub.api('POST', '/api/v1/api-tokens', { role: 'admin' });
    expect(res).toMatchObject({ status: 400, body: { field: 'body.name', message: 'body.name is required' } });
  });
});

describe('NUL characters', () => {
  it.each([
    ['an API token name', 'POST', '/api/v1/api-tokens', { name: 'a\u0000b', role: 'readonly' }, 'body.name'],
    ['a registration token description', 'POST', '/api/v1/registration-tokens', { description: 'x\u0000' }, 'body.description'],
    ['a label value', 'POST', '/api/v1/registration-tokens', { labels: { env: 'dev\u0000' } }, 'body.labels.env'],
    ['a cluster group description', 'POST', '/api/v1/cluster-groups', { name: `nul-${Date.now()}`, description: '\u0000', selector: {} }, 'body.description'],
    ['a bundle target', 'PUT', `/api/v1/bundles/nul-${Date.now()}`, { resources: [], targets: [{ clusterName: 'a\u0000' }], options: { allowEmpty: true } }, 'body.targets.0.clusterName'],
  ])('rejects NUL in %s with 400 naming the field', async (_what, method, path, input, field) => {
    const res = await hub.api(method, path, input);
    expect(res).toMatchObject({ status: 400, body: { error: 'ValidationFailed', field } });
    expect(res.body.message).toContain('NUL');
  });

  it('rejects NUL in a query parameter', async () => {
    const res = await hub.api('GET', `/api/v1/clusters?namePrefix=${encodeURIComponent('a\u0000')}`);
    expect(res).toMatchObject({ status: 400, body: { error: 'ValidationFailed', field: 'query.namePrefix' } });
  });

  it('logged no unhandled error or stack trace for any of them', () => {
    expect(hub.logs()).not.toMatch(/unhandled error|\n\s+at /);
  });
});

describe('the OpenAPI document', () => {
  it('documents the body rules and the last admin token', async () => {
    const doc = (await hub.api('GET', '/openapi.json', undefined, null)).body;
    expect(doc.info.description).toContain('application/json');
    expect(doc.info.description).toContain('256 KiB');
    for (const [path, method] of [['/api/v1/registration-tokens', 'post'], ['/api/v1/bundles/{name}', 'put'], ['/api/v1/clusters/{id}', 'patch']] as const) {
      expect(Object.keys(doc.paths[path][method].responses), `${method} ${path}`).toEqual(expect.arrayContaining(['413', '415']));
    }
    expect(Object.keys(doc.paths['/api/v1/clusters'].get.responses)).not.toContain('415');
    expect(doc.paths['/api/v1/api-tokens/{id}'].delete.responses['409'].description).toContain('LastAdminToken');
  });
});

describe('headers and readiness', () => {
  it('sends no X-Powered-By header', async () => {
    expect((await raw('GET', '/healthz', { token: null })).headers.get('x-powered-by')).toBeNull();
    expect((await raw('GET', '/api/v1/clusters')).headers.get('x-powered-by')).toBeNull();
    expect((await raw('GET', '/api/v1/clusters', { token: null })).headers.get('x-powered-by')).toBeNull();
  });

  it('tells unauthenticated callers only ready or not; API tokens see the checks', async () => {
    expect(await raw('GET', '/readyz', { token: null })).toMatchObject({ status: 200, body: { status: 'ready' } });
    expect((await raw('GET', '/readyz', { token: null })).body).toEqual({ status: 'ready' });
    expect((await raw('GET', '/readyz')).body).toEqual({ status: 'ready', checks: { database: 'ok', redis: 'ok' } });
  });

  it('answers 503 not-ready without dependency detail when the database is gone', async () => {
    const other = await startHub();
    const db = other.database.name;
    try {
      await query(ADMIN_DATABASE_URL, `ALTER DATABASE "${db}" ALLOW_CONNECTIONS false`);
      await query(ADMIN_DATABASE_URL, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, [db]);
      const unauthenticated = await eventually(async () => {
        const res = await fetch(`${other.httpUrl}/readyz`);
        expect(res.status).toBe(503);
        return res.json();
      });
      expect(unauthenticated).toEqual({ status: 'not-ready' });
      // The bootstrap token needs no database, so it still sees why.
      const detailed = await fetch(`${other.httpUrl}/readyz`, { headers: { authorization: `Bearer ${other.adminToken}` } });
      expect(detailed.status).toBe(503);
      const body = (await detailed.json()) as { status: string; checks: Record<string, string> };
      expect(body.status).toBe('not-ready');
      expect(body.checks.redis).toBe('ok');
      expect(body.checks.database).toMatch(/^failed: /);
    } finally {
      await query(ADMIN_DATABASE_URL, `ALTER DATABASE "${db}" ALLOW_CONNECTIONS true`);
      await other.dispose();
    }
  });
});

describe('the last admin API token', () => {
  /** A hub without a bootstrap token: API tokens, starting with the printed initial one, are the only way in. */
  async function withSoloHub(run: (solo: TestHub, initial: string, activeAdmins: () => Promise<number>) => Promise<void>): Promise<void> {
    const solo = await startHub({ env: { FLOTILLA_BOOTSTRAP_TOKEN: '' } });
    try {
      const initial = await eventually(() => solo.logs().match(/flt_api_[A-Za-z0-9_-]+/)![0]);
      const activeAdmins = async () => (await query<{ n: number }>(solo.database.url, "SELECT count(*)::int AS n FROM api_tokens WHERE role = 'admin' AND revoked_at IS NULL"))[0]!.n;
      await run(solo, initial, activeAdmins);
    } finally {
      await solo.dispose();
    }
  }

  it('refuses to revoke the last active admin token (409 LastAdminToken) and keeps it working', () =>
    withSoloHub(async (solo, initial, activeAdmins) => {
      const tokens = (await solo.api('GET', '/api/v1/api-tokens', undefined, initial)).body.items;
      expect(tokens).toHaveLength(1);
      const res = await solo.api('DELETE', `/api/v1/api-tokens/${tokens[0].id}`, undefined, initial);
      expect(res).toMatchObject({ status: 409, body: { error: 'LastAdminToken' } });
      expect((await solo.api('GET', '/api/v1/api-tokens', undefined, initial)).status).toBe(200);
      expect(await activeAdmins()).toBe(1);
    }));

  it('lets an admin token go while another admin remains, and never lets concurrent revocations remove both', () =>
    withSoloHub(async (solo, initial, activeAdmins) => {
      const a = (await solo.api('POST', '/api/v1/api-tokens', { name: 'a', role: 'admin' }, initial)).body;
      const b = (await solo.api('POST', '/api/v1/api-tokens', { name: 'b', role: 'admin' }, initial)).body;
      const initialId = (await solo.api('GET', '/api/v1/api-tokens?status=active', undefined, a.token)).body.items.find((t: { name: string }) => t.name === 'initial-admin').id;
      expect((await solo.api('DELETE', `/api/v1/api-tokens/${initialId}`, undefined, a.token)).status).toBe(204);
      // a and b are the last two admins; revoking both at once must leave one.
      const results = await Promise.all([solo.api('DELETE', `/api/v1/api-tokens/${b.id}`, undefined, a.token), solo.api('DELETE', `/api/v1/api-tokens/${a.id}`, undefined, a.token)]);
      expect(results.filter((r) => r.status === 204), JSON.stringify(results)).toHaveLength(1);
      // The loser is refused as the last admin, or, when its revocation came first, as revoked itself.
      expect(results.find((r) => r.status !== 204)!.body.error).toMatch(/^(LastAdminToken|ApiTokenInvalid)$/);
      expect(await activeAdmins()).toBe(1);
    }));

  it('lets the bootstrap-token hub revoke its only stored admin token: the bootstrap token stays the way in', async () => {
    const only = (await hub.api('POST', '/api/v1/api-tokens', { name: 'only-admin', role: 'admin' })).body;
    expect((await hub.api('DELETE', `/api/v1/api-tokens/${only.id}`, undefined, only.token)).status).toBe(204);
    expect((await hub.api('GET', '/api/v1/api-tokens')).status).toBe(200);
  });
});
