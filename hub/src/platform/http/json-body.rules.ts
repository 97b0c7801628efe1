import type { IncomingHttpHeaders } from 'node:http';
import { HttpException, PayloadTooLargeException, UnsupportedMediaTypeException } from '@nestjs/common';
import { formatBytes } from './body-limit.js';

/** The one media type request bodies may have (the OpenAPI document declares no other). */
export const JSON_MEDIA_TYPE = 'application/json';

/** What to do with a request's body, decided from its method and headers alone. */
export type BodyDecision = { read: false } | { read: true } | { read: false; reject: HttpException };

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

/**
 * Decides, before a byte of the body is read, whether to read it: only
 * POST/PUT/PATCH bodies are read (no route takes another), only as
 * uncompressed UTF-8 in one of `mediaTypes` (`application/json` unless a raw
 * route allows more), and not when the declared length is already over
 * `limit`. A request that declares no body (no Transfer-Encoding, no or a
 * zero Content-Length) has none, whatever its Content-Type.
 */
export function decideBody(method: string, headers: IncomingHttpHeaders, limit: number, mediaTypes: readonly string[] = [JSON_MEDIA_TYPE]): BodyDecision {
  if (!WITH_BODY.has(method.toUpperCase())) return { read: false };
  const length = headers['content-length'];
  if (headers['transfer-encoding'] === undefined && (length === undefined || Number(length) === 0)) return { read: false };
  const [type = '', ...parameters] = (headers['content-type'] ?? '').split(';').map((part) => part.trim().toLowerCase());
  if (!mediaTypes.includes(type)) {
    const given = type ? `got ${type}` : 'no content-type given';
    return reject(new UnsupportedMediaTypeException({ message: `request bodies must be sent as content-type ${mediaTypes.join(' or ')} (${given})`, field: 'headers.content-type' }));
  }
  const charset = parameters.find((p) => p.startsWith('charset='))?.slice('charset='.length).replace(/^"|"$/g, '');
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    return reject(new UnsupportedMediaTypeException({ message: `request bodies must be UTF-8 (got charset ${charset})`, field: 'headers.content-type' }));
  }
  const encoding = headers['content-encoding']?.trim().toLowerCase();
  if (encoding && encoding !== 'identity') {
    return reject(new UnsupportedMediaTypeException({ message: `content-encoding ${encoding} is not supported: send the body uncompressed`, field: 'headers.content-encoding' }));
  }
  if (length !== undefined && Number(length) > limit) return reject(tooLarge(limit));
  return { read: true };
}

/** 413 naming the route's limit. */
export function tooLarge(limit: number): PayloadTooLargeException {
  return new PayloadTooLargeException({ message: `request body is larger than the ${formatBytes(limit)} limit of this route`, field: 'body' });
}

const reject = (error: HttpException): BodyDecision => ({ read: false, reject: error });
