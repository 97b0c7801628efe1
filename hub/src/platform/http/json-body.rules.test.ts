import { HttpException } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { formatBytes } from './body-limit.js';
import { decideBody } from './json-body.rules.js';

const LIMIT = 1024;
const json = { 'content-type': 'application/json', 'content-length': '10' };

function rejection(method: string, headers: Record<string, string>): { status: number; message: string; field: unknown } {
  const decision = decideBody(method, headers, LIMIT);
  if (!('reject' in decision)) throw new Error(`expected a rejection, got ${JSON.stringify(decision)}`);
  const error = decision.reject as HttpException;
  return { status: error.getStatus(), message: error.message, field: (error.getResponse() as { field?: unknown }).field };
}

describe('decideBody', () => {
  it('reads JSON bodies of POST, PUT and PATCH', () => {
    for (const method of ['POST', 'PUT', 'PATCH']) expect(decideBody(method, json, LIMIT)).toEqual({ read: true });
    expect(decideBody('POST', { 'content-type': 'application/json; charset=UTF-8', 'transfer-encoding': 'chunked' }, LIMIT)).toEqual({ read: true });
  });

  it('reads no body of other methods, nor of a request that declares none', () => {
    expect(decideBody('GET', json, LIMIT)).toEqual({ read: false });
    expect(decideBody('DELETE', { ...json, 'content-type': 'text/plain' }, LIMIT)).toEqual({ read: false });
    expect(decideBody('POST', {}, LIMIT)).toEqual({ read: false });
    expect(decideBody('POST', { 'content-type': 'text/plain', 'content-length': '0' }, LIMIT)).toEqual({ read: false });
  });

  it('answers 415 naming application/json for another or a missing media type', () => {
    expect(rejection('POST', { ...json, 'content-type': 'text/plain' })).toEqual({
      status: 415,
      message: 'request bodies must be sent as content-type application/json (got text/plain)',
      field: 'headers.content-type',
    });
    expect(rejection('POST', { 'content-length': '10' }).message).toBe('request bodies must be sent as content-type application/json (no content-type given)');
    expect(rejection('PATCH', { ...json, 'content-type': 'application/merge-patch+json' }).status).toBe(415);
  });

  it('reads a raw route\'s other media types, and names them all in the 415', () => {
    const form = ['application/json', 'application/x-www-form-urlencoded'];
    expect(decideBody('POST', { ...json, 'content-type': 'application/x-www-form-urlencoded' }, LIMIT, form)).toEqual({ read: true });
    expect(decideBody('POST', { ...json, 'content-type': 'application/x-www-form-urlencoded' }, LIMIT)).toMatchObject({ read: false, reject: { status: 415 } });
    const decision = decideBody('POST', { ...json, 'content-type': 'text/plain' }, LIMIT, form);
    expect('reject' in decision && decision.reject.getResponse()).toEqual({
      message: 'request bodies must be sent as content-type application/json or application/x-www-form-urlencoded (got text/plain)',
      field: 'headers.content-type',
    });
  });

  it('answers 415 for another charset or a compressed body', () => {
    expect(rejection('POST', { ...json, 'content-type': 'application/json; charset=latin1' })).toMatchObject({ status: 415, message: 'request bodies must be UTF-8 (got charset latin1)' });
    expect(rejection('POST', { ...json, 'content-encoding': 'gzip' })).toMatchObject({ status: 415, field: 'headers.content-encoding' });
    expect(decideBody('POST', { ...json, 'content-encoding': 'identity' }, LIMIT)).toEqual({ read: true });
  });

  it('answers 413 naming the limit when the declared length is over it', () => {
    expect(rejection('PUT', { ...json, 'content-length': '1025' })).toEqual({ status: 413, message: 'request body is larger than the 1 KiB limit of this route', field: 'body' });
    expect(decideBody('PUT', { ...json, 'content-length': '1024' }, LIMIT)).toEqual({ read: true });
  });
});

describe('formatBytes', () => {
  it('names limits in the unit they were chosen in', () => {
    expect([formatBytes(256 * 1024), formatBytes(64 * 1024 * 1024), formatBytes(1000)]).toEqual(['256 KiB', '64 MiB', '1000 bytes']);
  });
});
