import { CliError } from '../errors/cli.error.js';
import { HubError, HubUnreachableError } from './hub.error.js';
import type { HubTarget } from './hub-target.js';
import { readBoundedBody } from './bounded-body.js';

export interface HubClientOptions {
  /** Time for one request, answer included (default 30 s). */
  timeoutMs?: number;
  /** Largest answer read (default 64 MiB): a broken proxy must not fill the CLI's memory. */
  maxResponseBytes?: number;
}

/** One page of a hub list (`docs/architecture.md`, "Lists"). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

type Query = Record<string, string | number | undefined>;

/** Page size used when following a list to its end (the hub's largest is 1,000). */
const PAGE_LIMIT = 500;

/** The hub's REST API, as an authenticated user: JSON in and out, errors as {@link HubError}. */
export class HubClient {
  private readonly timeoutMs: number;
  private readonly maxResponseBytes: number;

  constructor(
    readonly target: HubTarget,
    options: HubClientOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.maxResponseBytes = options.maxResponseBytes ?? 64 * 1024 * 1024;
  }

  get<T>(path: string, query: Query = {}): Promise<T> {
    return this.request('GET', path, query) as Promise<T>;
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.request('POST', path, {}, body) as Promise<T>;
  }

  async delete(path: string): Promise<void> {
    await this.request('DELETE', path, {});
  }

  /**
   * Opens a long-lived GET (a Server-Sent Events stream): no timeout once
   * the answer started; a refusal or an unreachable hub throws as for any
   * request. The caller reads `body` and aborts with `signal`.
   */
  async openStream(path: string, query: Query, headers: Record<string, string>, signal: AbortSignal): Promise<Response> {
    const url = new URL(path.replace(/^\/+/, ''), this.target.url);
    for (const [key, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(key, String(value));
    // The timeout covers the answer's start only: the stream itself lasts as long as the caller wants.
    const connect = new AbortController();
    const timer = setTimeout(() => connect.abort(new DOMException('timed out', 'TimeoutError')), this.timeoutMs);
    let response: Response;
    try {
      response = await fetch(url, { headers: { authorization: `Bearer ${this.target.token}`, accept: 'text/event-stream', ...headers }, signal: AbortSignal.any([signal, connect.signal]) });
    } catch (error) {
      throw this.unreachable(connect.signal.aborted ? connect.signal.reason : error);
    } finally {
      clearTimeout(timer);
    }
    if (!response.ok) throw this.refusal(response, await readBoundedBody(response, 64 * 1024).catch(() => ''));
    return response;
  }

  /** Every item of a list, page after page (cursor + limit), in the hub's order. */
  async *items<T>(path: string, query: Query = {}): AsyncGenerator<T> {
    const seen = new Set<string>();
    let cursor: string | undefined;
    do {
      const page = await this.get<Page<T>>(path, { ...query, limit: PAGE_LIMIT, cursor });
      yield* page.items;
      cursor = page.nextCursor ?? undefined;
      if (cursor !== undefined && seen.has(cursor)) throw new CliError(`the hub repeated a page cursor of ${path}`, 'BadResponse');
      if (cursor !== undefined) seen.add(cursor);
    } while (cursor !== undefined);
  }

  /** {@link items}, collected. */
  async list<T>(path: string, query: Query = {}): Promise<T[]> {
    const all: T[] = [];
    for await (const item of this.items<T>(path, query)) all.push(item);
    return all;
  }

  private async request(method: string, path: string, query: Query, body?: unknown): Promise<unknown> {
    const url = new URL(path.replace(/^\/+/, ''), this.target.url);
    for (const [key, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(key, String(value));
    const headers: Record<string, string> = { authorization: `Bearer ${this.target.token}`, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const signal = AbortSignal.timeout(this.timeoutMs);
    let text: string;
    let response: Response;
    try {
      response = await fetch(url, { method, headers, signal, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      text = await readBoundedBody(response, this.maxResponseBytes);
    } catch (error) {
      throw this.unreachable(error);
    }
    if (!response.ok) throw this.refusal(response, text);
    if (text === '') return undefined;
    try {
      return JSON.parse(text);
    } catch {
      throw new HubError(response.status, 'BadResponse', `the hub at ${this.target.url.href} answered ${method} ${url.pathname} with something that is not JSON`);
    }
  }

  private refusal(response: Response, text: string): HubError {
    let body: { error?: unknown; message?: unknown; field?: unknown } = {};
    try {
      body = JSON.parse(text) ?? {};
    } catch {
      // A proxy's HTML page, say: the status is all there is.
    }
    const reason = typeof body.error === 'string' ? body.error : `HTTP${response.status}`;
    if (response.status === 401) {
      return new HubError(401, reason, `the hub at ${this.target.url.href} refused the API token: it is invalid, expired or revoked; run \`flotilla login\``);
    }
    const message = typeof body.message === 'string' ? body.message : `the hub at ${this.target.url.href} answered ${response.status} ${response.statusText}`;
    return new HubError(response.status, reason, message, typeof body.field === 'string' ? body.field : undefined);
  }

  private unreachable(error: unknown): CliError {
    if (error instanceof CliError) return error;
    const hub = this.target.url.href;
    const name = (error as Error)?.name;
    if (name === 'TimeoutError' || name === 'AbortError') {
      return new HubUnreachableError(`the hub at ${hub} did not answer within ${this.timeoutMs / 1000} s`, 'HubTimeout', { cause: error });
    }
    const cause = (error as { cause?: { code?: string; message?: string; errors?: Array<{ code?: string }> } }).cause;
    const code = cause?.code ?? cause?.errors?.[0]?.code;
    const why =
      code === 'ECONNREFUSED' ? 'connection refused'
      : code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? `host "${this.target.url.hostname}" not found (DNS)`
      : code === 'ECONNRESET' ? 'the connection was reset'
      : (cause?.message ?? (error as Error)?.message ?? String(error));
    return new HubUnreachableError(`cannot reach the hub at ${hub}: ${why}`, 'HubUnreachable', { cause: error });
  }
}
