import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { CliError } from '../errors/cli.error.js';
import { HubClient } from './hub.client.js';
import { HubError, HubUnreachableError } from './hub.error.js';
import { parseHubUrl } from './hub-target.js';

/** A real HTTP server on a free port answering with `handler`; closed after each test. */
const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

const client = (url: string, options = {}) => new HubClient({ url: parseHubUrl(url), token: 'flt_api_secret' }, options);
const rejection = (promise: Promise<unknown>) => promise.then(() => expect.fail('expected a rejection'), (e: unknown) => e);

describe('HubClient', () => {
  it('sends the bearer token and JSON, keeps a path prefix, and parses the answer', async () => {
    const seen: Array<{ url?: string; auth?: string; body: string }> = [];
    const url = await serve((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen.push({ url: req.url, auth: req.headers.authorization, body });
        res.setHeader('content-type', 'application/json').end('{"ok":true}');
      });
    });
    expect(await client(`${url}flotilla`).post('api/v1/x', { a: 1 })).toEqual({ ok: true });
    expect(seen).toEqual([{ url: '/flotilla/api/v1/x', auth: 'Bearer flt_api_secret', body: '{"a":1}' }]);
  });

  it('follows nextCursor to the last page', async () => {
    const url = await serve((req, res) => {
      const cursor = new URL(req.url!, 'http://x').searchParams.get('cursor');
      const page = cursor === null ? { items: [1, 2], nextCursor: 'p2' } : cursor === 'p2' ? { items: [3], nextCursor: 'p3' } : { items: [4], nextCursor: null };
      res.end(JSON.stringify(page));
    });
    expect(await client(url).list('api/v1/things')).toEqual([1, 2, 3, 4]);
  });

  it('refuses a page cursor the hub repeats instead of looping forever', async () => {
    const url = await serve((_req, res) => res.end(JSON.stringify({ items: [1], nextCursor: 'same' })));
    expect(await rejection(client(url).list('api/v1/things'))).toMatchObject({ reason: 'BadResponse' });
  });

  it("turns the hub's error body into a HubError with status, reason, message and field", async () => {
    const url = await serve((_req, res) => res.writeHead(400).end(JSON.stringify({ error: 'InvalidSelector', message: 'query.selector: bad', field: 'query.selector' })));
    const error = await rejection(client(url).get('api/v1/clusters'));
    expect(error).toBeInstanceOf(HubError);
    expect(error).toMatchObject({ status: 400, reason: 'InvalidSelector', message: 'query.selector: bad', field: 'query.selector' });
  });

  it('says a refused token is invalid, expired or revoked and to run flotilla login', async () => {
    const url = await serve((_req, res) => res.writeHead(401).end(JSON.stringify({ error: 'ApiTokenInvalid', message: 'API token is invalid or revoked' })));
    const error = (await rejection(client(url).get('api/v1/clusters'))) as HubError;
    expect(error.status).toBe(401);
    expect(error.reason).toBe('ApiTokenInvalid');
    expect(error.message).toMatch(/invalid, expired or revoked.*flotilla login/);
    expect(error.message).not.toContain('secret');
  });

  it('names the status of an error that is not JSON (a proxy page)', async () => {
    const url = await serve((_req, res) => res.writeHead(502).end('<html>bad gateway</html>'));
    expect(await rejection(client(url).get('api/v1/clusters'))).toMatchObject({ status: 502, reason: 'HTTP502', message: expect.stringContaining('502') });
  });

  it('stops reading an answer over the bound, with or without a Content-Length', async () => {
    const big = 'x'.repeat(10_000);
    const declared = await serve((_req, res) => res.end(JSON.stringify({ big })));
    expect(await rejection(client(declared, { maxResponseBytes: 1000 }).get('a'))).toMatchObject({ reason: 'ResponseTooLarge' });
    const streamed = await serve((_req, res) => {
      res.writeHead(200, { 'transfer-encoding': 'chunked' });
      for (let i = 0; i < 20; i++) res.write(big);
      res.end();
    });
    expect(await rejection(client(streamed, { maxResponseBytes: 50_000 }).get('a'))).toMatchObject({ reason: 'ResponseTooLarge' });
  });

  it('gives up on a hub that does not answer, naming the URL and the time', async () => {
    const url = await serve(() => undefined);
    const error = await rejection(client(url, { timeoutMs: 300 }).get('api/v1/clusters'));
    expect(error).toBeInstanceOf(HubUnreachableError);
    expect(error).toMatchObject({ reason: 'HubTimeout', message: `the hub at ${url} did not answer within 0.3 s` });
  });

  it('names the URL when the connection is refused', async () => {
    const url = await serve(() => undefined);
    servers[0]!.close();
    const error = (await rejection(client(url).get('api/v1/clusters'))) as CliError;
    expect(error).toMatchObject({ reason: 'HubUnreachable', message: `cannot reach the hub at ${url}: connection refused` });
  });
});
