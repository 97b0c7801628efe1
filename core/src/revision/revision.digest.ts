import { createHash } from 'node:crypto';

const PREFIX = 'sha256:';
const REVISION = /^sha256:[0-9a-f]{64}$/;

/** What a revision looks like, for messages: `sha256:<64 hex digits>`. */
export const REVISION_FORMAT = 'sha256:<64 hex digits>';

/** True when `revision` is `sha256:` followed by 64 lower-case hex digits. */
export function isRevision(revision: string): boolean {
  return REVISION.test(revision);
}

/** The lower-case hex SHA-256 digest of `content`. */
export function sha256Hex(content: Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}

/** The revision of `content`, `sha256:<hex>`: equal content always yields the same revision. */
export function revisionOf(content: Uint8Array): string {
  return `${PREFIX}${sha256Hex(content)}`;
}

/** The hex digest of a revision, or undefined when `revision` is not {@link REVISION_FORMAT}. */
export function revisionDigest(revision: string): string | undefined {
  return isRevision(revision) ? revision.slice(PREFIX.length) : undefined;
}
