import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

/**
 * Bearer secrets issued by the hub look like `flt_<kind>_<id>_<secret>`: the
 * id locates the row, the 256-bit random secret proves possession. Only the
 * SHA-256 of the secret is stored. A slow password hash (argon2, bcrypt) buys
 * nothing for 256-bit random secrets and would cost CPU on every agent call.
 */
export type TokenKind = 'api' | 'reg' | 'cl';

export interface IssuedToken {
  id: string;
  /** The full token, shown to its owner once. */
  token: string;
  secretHash: string;
}

export interface ParsedToken {
  kind: TokenKind;
  id: string;
  secret: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SECRET = /^[A-Za-z0-9_-]{43}$/;

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Issues a token for a new row (random id) or an existing one (given id). */
export function issueToken(kind: TokenKind, id: string = randomUUID()): IssuedToken {
  const secret = randomBytes(32).toString('base64url');
  return { id, token: `flt_${kind}_${id}_${secret}`, secretHash: hashSecret(secret) };
}

/** Parses a token of the expected kind; returns undefined for anything malformed. */
export function parseToken(token: string, kind: TokenKind): ParsedToken | undefined {
  const prefix = `flt_${kind}_`;
  if (!token.startsWith(prefix)) return undefined;
  const rest = token.slice(prefix.length);
  const id = rest.slice(0, 36);
  const secret = rest.slice(37);
  if (rest[36] !== '_' || !UUID.test(id) || !SECRET.test(secret)) return undefined;
  return { kind, id, secret };
}

/** Constant-time comparison of a presented secret with a stored hash. */
export function secretMatches(secret: string, storedHash: string | null | undefined): boolean {
  if (!storedHash) return false;
  const presented = Buffer.from(hashSecret(secret), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}
