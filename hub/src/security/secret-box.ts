import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { DomainError } from '../platform/errors/domain-error.js';

/** One key of FLOTILLA_SECRET_KEYS. */
export interface SecretKey {
  id: string;
  key: Buffer;
}

const VERSION = 1;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Seals secrets at rest with AES-256-GCM (an AEAD from Node's crypto). A
 * sealed value names the key that sealed it, so keys rotate: the first key
 * seals, every key opens. The `context` (e.g. `gitrepo:<id>:credentials`) is
 * authenticated data: a sealed value copied into another row or column does
 * not open there.
 *
 * Layout: version (1 byte) | key id length (1) | key id | nonce (12) | ciphertext | tag (16).
 */
export class SecretBox {
  constructor(private readonly keys: readonly SecretKey[]) {}

  get canSeal(): boolean {
    return this.keys.length > 0;
  }

  seal(plaintext: string, context: string): Buffer {
    const active = this.keys[0];
    if (!active) throw new DomainError('SecretKeysMissing', 'secrets cannot be stored: the hub has no FLOTILLA_SECRET_KEYS (see docs/configuration.md)');
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', active.key, nonce);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const id = Buffer.from(active.id, 'utf8');
    return Buffer.concat([Buffer.from([VERSION, id.length]), id, nonce, body, cipher.getAuthTag()]);
  }

  open(sealed: Uint8Array, context: string): string {
    const { keyId, nonce, body, tag } = parse(Buffer.from(sealed));
    const key = this.keys.find((k) => k.id === keyId);
    if (!key) throw new DomainError('SecretKeysMissing', `a stored secret was sealed with key "${keyId}", which is not in FLOTILLA_SECRET_KEYS`);
    const decipher = createDecipheriv('aes-256-gcm', key.key, nonce);
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
    } catch {
      throw new DomainError('SecretUnreadable', `a stored secret (${context.replace(/:[^:]*$/, '')}) does not open with key "${keyId}": it was altered or moved`);
    }
  }

  /** True when `sealed` was sealed with a key other than the first (it should be re-sealed). */
  isStale(sealed: Uint8Array): boolean {
    return parse(Buffer.from(sealed)).keyId !== this.keys[0]?.id;
  }
}

function parse(buf: Buffer): { keyId: string; nonce: Buffer; body: Buffer; tag: Buffer } {
  const idLength = buf[1] ?? 0;
  const nonceAt = 2 + idLength;
  if (buf[0] !== VERSION || buf.length < nonceAt + NONCE_BYTES + TAG_BYTES) {
    throw new DomainError('SecretUnreadable', 'a stored secret is not in the sealed format');
  }
  return {
    keyId: buf.subarray(2, nonceAt).toString('utf8'),
    nonce: buf.subarray(nonceAt, nonceAt + NONCE_BYTES),
    body: buf.subarray(nonceAt + NONCE_BYTES, buf.length - TAG_BYTES),
    tag: buf.subarray(buf.length - TAG_BYTES),
  };
}
