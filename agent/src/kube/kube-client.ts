import * as http from 'node:http';
import * as https from 'node:https';
import { createInterface } from 'node:readline';
import { KubeApiError } from './kube-api-error.js';
import type { KubeConnection } from './kubeconfig.js';

export type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
  query?: Query;
  /** JSON-serialisable body. */
  body?: unknown;
  /** Default `application/json`. */
  contentType?: string;
  /** Default 60 s. */
  timeoutMs?: number;
  /** Default `application/json`; e.g. a PartialObjectMetadataList for metadata-only lists. */
  accept?: string;
}

export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: any;
}

/**
 * The agent's Kubernetes API client: raw JSON over HTTPS with keep-alive.
 *
 * Why not `@kubernetes/client-node`'s clients: importing that package costs
 * ~43 MiB of private memory (its generated models), three times the rest of
 * the agent, and its typed (de)serialisers drop fields they do not know, which
 * server-side apply must never do. Its types are still the vocabulary here.
 */
export interface KubeClient {
  request<T = any>(method: string, path: string, options?: RequestOptions): Promise<T>;
  /**
   * Streams watch events of `path` until the server ends the watch (resolves),
   * the connection fails (rejects), or `signal` aborts (resolves).
   */
  watch(path: string, query: Query, onEvent: (event: WatchEvent) => void, signal: AbortSignal): Promise<void>;
  /** Counters by HTTP method, for tests and benchmarks. */
  readonly counts: Record<string, number>;
  close(): void;
}

export function createKubeClient(connection: KubeConnection): KubeClient {
  const url = new URL(connection.server);
  const secure = url.protocol === 'https:';
  const tls = {
    ...(connection.ca ? { ca: connection.ca } : {}),
    ...(connection.cert ? { cert: connection.cert } : {}),
    ...(connection.key ? { key: connection.key } : {}),
    rejectUnauthorized: !connection.insecureSkipTlsVerify,
  };
  const makeAgent = (maxSockets: number) =>
    secure ? new https.Agent({ keepAlive: true, maxSockets, ...tls }) : new http.Agent({ keepAlive: true, maxSockets });
  const agent = makeAgent(16);
  const watchAgent = makeAgent(Infinity);
  const basePath = url.pathname.replace(/\/$/, '');
  const counts: Record<string, number> = {};

  const headers = (extra: Record<string, string>): Record<string, string> => {
    const h: Record<string, string> = { accept: 'application/json', 'user-agent': 'flotilla-agent', ...extra };
    const token = connection.token?.();
    if (token) h.authorization = `Bearer ${token}`;
    else if (connection.basicAuth) h.authorization = `Basic ${Buffer.from(connection.basicAuth).toString('base64')}`;
    return h;
  };

  const open = (method: string, path: string, query: Query | undefined, extraHeaders: Record<string, string>, useAgent: http.Agent) => {
    const search = new URLSearchParams();
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) search.set(k, String(v));
    const qs = search.toString();
    counts[method] = (counts[method] ?? 0) + 1;
    return (secure ? https : http).request({
      protocol: url.protocol,
      hostname: url.hostname.replace(/^\[|\]$/g, ''),
      port: url.port || (secure ? 443 : 80),
      path: `${basePath}${path}${qs ? `?${qs}` : ''}`,
      method,
      agent: useAgent,
      headers: headers(extraHeaders),
    });
  };

  const request = <T>(method: string, path: string, options: RequestOptions = {}): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const body = options.body === undefined ? undefined : JSON.stringify(options.body);
      const extra: Record<string, string> = options.accept ? { accept: options.accept } : {};
      if (body !== undefined) {
        extra['content-type'] = options.contentType ?? 'application/json';
        extra['content-length'] = String(Buffer.byteLength(body));
      }
      const req = open(method, path, options.query, extra, agent);
      req.setTimeout(options.timeoutMs ?? 60_000, () => req.destroy(new Error(`timed out after ${options.timeoutMs ?? 60_000} ms`)));
      req.on('error', (error) =>
        reject(new KubeApiError(0, 'Unreachable', `${method} ${path}: ${error.message}`, { cause: error })),
      );
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (error) => reject(new KubeApiError(0, 'Unreachable', `${method} ${path}: ${error.message}`, { cause: error })));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) {
            try {
              resolve((text ? JSON.parse(text) : undefined) as T);
            } catch (error) {
              reject(new KubeApiError(status, 'BadResponse', `${method} ${path}: response is not JSON`, { cause: error }));
            }
            return;
          }
          reject(apiError(status, text, method, path));
        });
      });
      req.end(body);
    });

  const watch = (path: string, query: Query, onEvent: (event: WatchEvent) => void, signal: AbortSignal): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      if (signal.aborted) return resolve();
      const req = open('GET', path, { ...query, watch: 'true', allowWatchBookmarks: 'true' }, {}, watchAgent);
      let settled = false;
      const finish = (error?: Error) => {
        if (settled) return;
        settled = true;
        signal.removeEventListener('abort', onAbort);
        if (error && !signal.aborted) reject(error);
        else resolve();
      };
      const onAbort = () => {
        req.destroy();
        finish();
      };
      signal.addEventListener('abort', onAbort, { once: true });
      // A dead connection shows as silence: bookmarks arrive about once a minute.
      req.setTimeout(Math.max(Number(query.timeoutSeconds ?? 300) * 1000 + 30_000, 90_000), () =>
        req.destroy(new Error('watch went silent')),
      );
      req.on('error', (error) => finish(new KubeApiError(0, 'Unreachable', `watch ${path}: ${error.message}`, { cause: error })));
      req.on('response', (res) => {
        const status = res.statusCode ?? 0;
        if (status !== 200) {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => finish(apiError(status, Buffer.concat(chunks).toString('utf8'), 'watch', path)));
          return;
        }
        const lines = createInterface({ input: res, crlfDelay: Infinity });
        // readline re-emits errors of its input (e.g. the socket reset when a watch is stopped).
        lines.on('error', (error) => finish(new KubeApiError(0, 'Unreachable', `watch ${path}: ${error.message}`, { cause: error })));
        lines.on('line', (line) => {
          if (!line) return;
          let event: WatchEvent;
          try {
            event = JSON.parse(line) as WatchEvent;
          } catch {
            return;
          }
          try {
            onEvent(event);
          } catch (error) {
            req.destroy();
            finish(error as Error);
          }
        });
        res.on('error', (error) => finish(new KubeApiError(0, 'Unreachable', `watch ${path}: ${error.message}`, { cause: error })));
        res.on('end', () => finish());
        res.on('close', () => finish());
      });
      req.end();
    });

  return {
    request,
    watch,
    counts,
    close: () => {
      agent.destroy();
      watchAgent.destroy();
    },
  };
}

function apiError(status: number, text: string, method: string, path: string): KubeApiError {
  let reason = String(status);
  let message = text.trim() || `HTTP ${status}`;
  try {
    const parsed = JSON.parse(text) as { kind?: string; message?: string; reason?: string };
    if (parsed.kind === 'Status') {
      reason = parsed.reason || reason;
      message = parsed.message || message;
    }
  } catch {
    // not a Status object
  }
  return new KubeApiError(status, reason, message.length > 2000 ? `${message.slice(0, 2000)}…` : message, {
    cause: `${method} ${path}`,
  });
}
