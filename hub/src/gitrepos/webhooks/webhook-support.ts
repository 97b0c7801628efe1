import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { WebhookError } from './webhook.error.js';
import type { PushEvent, WebhookHeaders, WebhookProviderName } from './webhook.types.js';

/**
 * What the providers share: header reads, signature checks, a JSON reader
 * that names what is missing, and the ref → branch/tag split.
 */

export type JsonObject = { readonly [key: string]: unknown };

/** A header's value, trimmed; undefined when absent or blank. Names are looked up lower-cased. */
export function header(headers: WebhookHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** The event header's value lower-cased (`push`, `push hook`, `repo:push`…), or undefined. */
export function eventName(headers: WebhookHeaders, name: string): string | undefined {
  return header(headers, name)?.toLowerCase();
}

const HEX_SHA256 = /^[0-9a-f]{64}$/i;

/**
 * True when `signatureHex` (64 hex digits, any case) is the HMAC-SHA256 of the
 * raw body under `secret`. Anything malformed, or an empty secret (an HMAC
 * anyone can compute), is false; the digests are compared in constant time.
 */
export function hmacSha256Matches(body: Buffer, secret: string, signatureHex: string | undefined): boolean {
  if (secret === '' || signatureHex === undefined || !HEX_SHA256.test(signatureHex)) return false;
  const expected = createHmac('sha256', secret).update(body).digest();
  const given = Buffer.from(signatureHex, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The hex of a `sha256=<hex>` header value (GitHub, Bitbucket); undefined for any other form. */
export function sha256Prefixed(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const match = /^sha256=(.*)$/i.exec(value);
  return match?.[1];
}

/**
 * Constant-time equality of a presented shared token (GitLab's X-Gitlab-Token)
 * and a secret. Both are hashed first, so the buffers compared always have the
 * same length and the secret's length does not leak either.
 */
export function tokenMatches(presented: string | undefined, secret: string): boolean {
  if (secret === '' || presented === undefined) return false;
  const given = createHash('sha256').update(presented, 'utf8').digest();
  const expected = createHash('sha256').update(secret, 'utf8').digest();
  return timingSafeEqual(given, expected);
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value at a dotted path (`repository.links.html.href`), or undefined. */
export function valueAt(root: JsonObject, path: string): unknown {
  let current: unknown = root;
  for (const key of path.split('.')) {
    if (!isObject(current)) return undefined;
    current = current[key];
  }
  return current;
}

export function objectAt(root: JsonObject, path: string): JsonObject | undefined {
  const value = valueAt(root, path);
  return isObject(value) ? value : undefined;
}

/** A non-empty string at the path, else undefined (null, numbers and '' count as absent). */
export function stringAt(root: JsonObject, path: string): string | undefined {
  const value = valueAt(root, path);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function arrayAt(root: JsonObject, path: string): readonly unknown[] | undefined {
  const value = valueAt(root, path);
  return Array.isArray(value) ? value : undefined;
}

/** InvalidPayload for a push body without a field the provider always sends. */
export function missingField(provider: WebhookProviderName, field: string): WebhookError {
  return new WebhookError('InvalidPayload', `${provider}: push payload is missing "${field}"`, { field });
}

/**
 * The delivery's JSON object. GitHub, Gitea and Gogs can also send
 * `application/x-www-form-urlencoded` with the JSON in a `payload` field; the
 * signature still covers the raw body, so only the reading differs.
 */
export function parseJsonBody(provider: WebhookProviderName, headers: WebhookHeaders, body: Buffer): JsonObject {
  let text = body.toString('utf8');
  const contentType = header(headers, 'content-type')?.split(';')[0]?.trim().toLowerCase();
  if (contentType === 'application/x-www-form-urlencoded') {
    const payload = new URLSearchParams(text).get('payload');
    if (payload === null) {
      throw new WebhookError('InvalidPayload', `${provider}: form-encoded body has no "payload" field`, { field: 'payload' });
    }
    text = payload;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new WebhookError('InvalidPayload', `${provider}: body is not JSON (${detail})`, { cause: error });
  }
  if (!isObject(value)) throw new WebhookError('InvalidPayload', `${provider}: body is not a JSON object`);
  return value;
}

export type RefKind = 'branch' | 'tag';

export interface RefChange {
  kind: RefKind;
  name: string;
  /** The ref's new head as the payload gives it; all-zero or absent for a deletion. */
  commit?: string | undefined;
}

/** `refs/heads/x` → branch x, `refs/tags/x` → tag x; any other ref (refs/pull/…, refs/notes/…) → undefined. */
export function refChange(ref: string, commit?: string): RefChange | undefined {
  if (ref.startsWith('refs/heads/') && ref.length > 'refs/heads/'.length) return { kind: 'branch', name: ref.slice('refs/heads/'.length), commit };
  if (ref.startsWith('refs/tags/') && ref.length > 'refs/tags/'.length) return { kind: 'tag', name: ref.slice('refs/tags/'.length), commit };
  return undefined;
}

/** Git's "no object" id, sent as the new head of a deleted ref. */
export function isZeroSha(sha: string): boolean {
  return /^0+$/.test(sha);
}

/** The distinct non-empty URLs, in the order given. */
export function distinctUrls(urls: readonly (string | undefined)[]): string[] {
  return [...new Set(urls.filter((url): url is string => url !== undefined && url.trim() !== ''))];
}

/**
 * Assembles the event. `commit` is the new head of the first branch pushed, or
 * of the first tag when only tags were pushed; undefined when the payload does
 * not say or the ref was deleted (an all-zero id).
 */
export function pushEvent(provider: WebhookProviderName, repoUrls: string[], changes: readonly RefChange[]): PushEvent {
  const branches = [...new Set(changes.filter((c) => c.kind === 'branch').map((c) => c.name))];
  const tags = [...new Set(changes.filter((c) => c.kind === 'tag').map((c) => c.name))];
  const lead = changes.find((c) => c.kind === 'branch') ?? changes[0];
  const commit = lead?.commit !== undefined && lead.commit !== '' && !isZeroSha(lead.commit) ? lead.commit : undefined;
  const event: PushEvent = { provider, repoUrls, branches, tags };
  if (commit !== undefined) event.commit = commit;
  return event;
}
