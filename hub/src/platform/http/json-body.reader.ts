import type { IncomingMessage } from 'node:http';
import { BadRequestException } from '@nestjs/common';
import { DomainError } from '../errors/domain-error.js';
import { decideBody, tooLarge } from './json-body.rules.js';

/**
 * Reads and parses a request's JSON body, holding at most `limit` bytes of it:
 * a body found larger while reading is answered 413 at once and the rest of
 * it is discarded as it arrives (the connection stays usable). Resolves
 * undefined when the request has no body.
 */
export async function readJsonBody(request: IncomingMessage, limit: number): Promise<unknown> {
  const bytes = await readRawBody(request, limit);
  if (bytes === undefined) return undefined;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new DomainError('ValidationFailed', 'body is not valid UTF-8', { field: 'body' });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new DomainError('ValidationFailed', `body is not valid JSON: ${(error as Error).message}`, { field: 'body' });
  }
}

/**
 * The same checks and bounds as readJsonBody, but the bytes as sent (webhook
 * signatures are over the raw body), in one of `mediaTypes`; undefined when
 * there is none.
 */
export async function readRawBody(request: IncomingMessage, limit: number, mediaTypes?: readonly string[]): Promise<Buffer | undefined> {
  const decision = decideBody(request.method ?? 'GET', request.headers, limit, mediaTypes);
  if ('reject' in decision) throw decision.reject;
  if (!decision.read) return undefined;
  const bytes = await readAtMost(request, limit);
  return bytes.length === 0 ? undefined : bytes;
}

function readAtMost(request: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (error?: Error) => {
      request.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
      if (error) reject(error);
      else resolve(Buffer.concat(chunks, size));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      chunks.length = 0;
      finish(tooLarge(limit));
      // Keep draining without holding anything, so the 413 can be read by the client.
      request.resume();
    };
    const onEnd = () => finish();
    const onError = (error: Error) => finish(new BadRequestException('request body could not be read', { cause: error }));
    const onClose = () => finish(new BadRequestException('the client closed the connection before sending the whole body'));
    request.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
  });
}
