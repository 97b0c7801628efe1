/**
 * Downloads one URL with node:http/https: a time limit, a size bound, basic auth,
 * a custom CA bundle or skipped TLS verification, and up to 5 redirects (credentials
 * are dropped when a redirect leaves the origin, like helm without --pass-credentials).
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { RenderError, type RenderErrorLocation } from '../render.error.js';
import type { ChartRepositoryAuth } from './chart-fetch.js';

export interface DownloadOptions {
  auth?: ChartRepositoryAuth;
  timeoutMs: number;
  maxBytes: number;
  signal?: AbortSignal;
  /** Field blamed in errors. */
  field: RenderErrorLocation['field'];
}

export async function download(url: string, options: DownloadOptions): Promise<Buffer> {
  let current = new URL(url);
  const origin = current.origin;
  for (let hop = 0; hop <= 5; hop++) {
    const res = await requestOnce(current, current.origin === origin ? options.auth : undefined, options);
    if ('redirect' in res) {
      current = new URL(res.redirect, current);
      continue;
    }
    return res.body;
  }
  throw new RenderError('ChartFetchFailed', `too many redirects from ${redact(url)}`, { field: options.field });
}

function redact(url: URL | string): string {
  const u = new URL(url);
  u.username = '';
  u.password = '';
  return u.toString();
}

function requestOnce(url: URL, auth: ChartRepositoryAuth | undefined, options: DownloadOptions): Promise<{ body: Buffer } | { redirect: string }> {
  const where = { field: options.field };
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return Promise.reject(new RenderError('ChartFetchFailed', `unsupported URL scheme in ${redact(url)}`, where));
  }
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'user-agent': 'flotilla-render' };
    if (auth?.username !== undefined || auth?.password !== undefined) {
      headers.authorization = `Basic ${Buffer.from(`${auth.username ?? ''}:${auth.password ?? ''}`).toString('base64')}`;
    }
    const tls = url.protocol === 'https:' ? { ...(auth?.caBundle ? { ca: auth.caBundle } : {}), rejectUnauthorized: !auth?.insecureSkipTLSVerify } : {};
    const lib = url.protocol === 'https:' ? https : http;
    let settled = false;
    const done = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
    };
    const req = lib.request(url, { method: 'GET', headers, ...tls, ...(options.signal ? { signal: options.signal } : {}) }, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        res.resume();
        return done(() => resolve({ redirect: res.headers.location as string }));
      }
      if (status !== 200) {
        res.resume();
        const hint = status === 401 || status === 403 ? (auth ? ' (credentials rejected)' : ' (credentials required)') : '';
        return done(() => reject(new RenderError('ChartFetchFailed', `HTTP ${status} from ${redact(url)}${hint}`, where)));
      }
      const declared = Number(res.headers['content-length'] ?? NaN);
      if (declared > options.maxBytes) {
        req.destroy();
        return done(() => reject(tooLarge(url, options)));
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > options.maxBytes) {
          req.destroy();
          done(() => reject(tooLarge(url, options)));
        } else chunks.push(chunk);
      });
      res.on('end', () => done(() => resolve({ body: Buffer.concat(chunks) })));
      res.on('error', (e) => done(() => reject(new RenderError('ChartFetchFailed', `download from ${redact(url)} failed: ${e.message}`, where, { cause: e }))));
    });
    const timer = setTimeout(() => {
      req.destroy();
      done(() => reject(new RenderError('ChartFetchFailed', `download from ${redact(url)} took longer than ${options.timeoutMs} ms`, where)));
    }, options.timeoutMs);
    req.on('error', (e) => done(() => reject(new RenderError('ChartFetchFailed', `cannot download ${redact(url)}: ${e.message}`, where, { cause: e }))));
    req.end();
  });
}

function tooLarge(url: URL, options: DownloadOptions): RenderError {
  return new RenderError('ChartFetchFailed', `download from ${redact(url)} is larger than ${options.maxBytes} bytes`, { field: options.field });
}
