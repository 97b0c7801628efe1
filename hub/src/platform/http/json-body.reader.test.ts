import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpException } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../errors/domain-error.js';
import { readJsonBody } from './json-body.reader.js';

const LIMIT = 64 * 1024;

/** A real HTTP server answering what readJsonBody made of each request. */
let server: Server;
let port: number;
beforeAll(async () => {
  server = createServer((req, res) => {
    readJsonBody(req, LIMIT).then(
      (body) => res.end(JSON.stringify({ status: 200, body: body === undefined ? '<none>' : body })),
      (error: unknown) => {
        const status = error instanceof HttpException ? error.getStatus() : error instanceof DomainError ? 400 : 500;
        res.end(JSON.stringify({ status, message: (error as Error).message }));
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Sends the body in chunks without a Content-Length (chunked), as a stream would. */
function send(chunks: Buffer[], contentType = 'application/json'): Promise<{ status: number; body?: unknown; message?: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/', headers: { 'content-type': contentType } }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve(JSON.parse(text)));
    });
    req.on('error', reject);
    const write = (i: number): void => {
      if (i === chunks.length) return void req.end();
      req.write(chunks[i], () => write(i + 1));
    };
    write(0);
  });
}

describe('readJsonBody', () => {
  it('parses a chunked JSON body', async () => {
    expect(await send([Buffer.from('{"a":'), Buffer.from('[1,"x"]}')])).toEqual({ status: 200, body: { a: [1, 'x'] } });
  });

  it('resolves no body for an empty one, so it cannot become {}', async () => {
    expect(await send([])).toEqual({ status: 200, body: '<none>' });
  });

  it('answers 413 as soon as a chunked body passes the limit, and the client still gets the answer', async () => {
    const chunk = Buffer.alloc(16 * 1024, 0x20);
    expect(await send(Array.from({ length: 64 }, () => chunk))).toEqual({ status: 413, message: 'request body is larger than the 64 KiB limit of this route' });
  });

  it('answers 400 for malformed JSON and for bytes that are not UTF-8', async () => {
    expect(await send([Buffer.from('{"a": ')])).toMatchObject({ status: 400, message: expect.stringMatching(/^body is not valid JSON: /) });
    expect(await send([Buffer.from([0x22, 0xff, 0x22])])).toEqual({ status: 400, message: 'body is not valid UTF-8' });
  });

  it('answers 415 for another media type without reading', async () => {
    expect(await send([Buffer.from('{}')], 'text/plain')).toMatchObject({ status: 415 });
  });
});
