import type { GetBundleContentResponse } from '@flotilla/proto';

/** A message of GetBundleContent or GetBundleContents (the two carry the same fields). */
export type ContentMessage = Pick<GetBundleContentResponse, 'chunk' | 'totalSize' | 'revision'>;
import { REVISION_FORMAT, revisionDigest, sha256Hex } from '@flotilla/core';
import { AgentError } from '../errors.js';

/** The hex digest of a revision (`sha256:<hex>`), or an error saying the revision is malformed. */
export function revisionHex(revision: string): string {
  const hex = revisionDigest(revision);
  if (hex === undefined) throw new AgentError('ContentInvalid', `revision "${revision}" is not ${REVISION_FORMAT}`);
  return hex;
}

/** Throws ContentInvalid unless `content` hashes to `revision`. */
export function verifyRevision(revision: string, content: Buffer): void {
  const expected = revisionHex(revision);
  const actual = sha256Hex(content);
  if (actual !== expected) {
    throw new AgentError(
      'ContentInvalid',
      `content of revision ${revision} has digest sha256:${actual} (${content.length} bytes); it was corrupted or truncated in transit`,
    );
  }
}

/**
 * Reassembles the chunks of a GetBundleContent stream: concatenates them in
 * order, checks the announced total size and the digest.
 */
export class ContentAssembler {
  private readonly chunks: Buffer[] = [];
  private received = 0;
  private totalSize: number | undefined;

  constructor(private readonly revision: string) {
    revisionHex(revision);
  }

  push(message: ContentMessage): void {
    if (this.totalSize === undefined) {
      this.totalSize = message.totalSize;
      if (message.revision && message.revision !== this.revision) {
        throw new AgentError('ContentInvalid', `asked for revision ${this.revision}, the hub sent ${message.revision}`);
      }
    }
    this.chunks.push(Buffer.from(message.chunk));
    this.received += message.chunk.length;
    if (this.received > this.totalSize) {
      throw new AgentError('ContentInvalid', `revision ${this.revision}: received ${this.received} bytes, more than the announced ${this.totalSize}`);
    }
  }

  /** The verified content. */
  finish(): Buffer {
    if (this.totalSize === undefined) throw new AgentError('ContentInvalid', `revision ${this.revision}: the hub sent no content`);
    if (this.received !== this.totalSize) {
      throw new AgentError('ContentInvalid', `revision ${this.revision}: received ${this.received} of ${this.totalSize} bytes; the stream ended early`);
    }
    const content = Buffer.concat(this.chunks, this.received);
    this.chunks.length = 0;
    verifyRevision(this.revision, content);
    return content;
  }
}

/**
 * Reassembles a GetBundleContents stream: the revisions asked for, in that
 * order, each starting with a message that names it. Each is verified as a
 * single download is; a revision out of order, one missing at the end or a
 * message before the first revision is ContentInvalid.
 */
export class ContentsAssembler {
  private readonly done = new Map<string, Buffer>();
  private current: ContentAssembler | undefined;
  private next = 0;

  constructor(private readonly revisions: readonly string[]) {
    for (const revision of revisions) revisionHex(revision);
  }

  push(message: ContentMessage): void {
    if (message.revision) {
      this.finishCurrent();
      const expected = this.revisions[this.next];
      if (message.revision !== expected) {
        throw new AgentError('ContentInvalid', expected ? `expected revision ${expected} next, the hub sent ${message.revision}` : `the hub sent revision ${message.revision}, which was not asked for`);
      }
      this.next++;
      this.current = new ContentAssembler(expected);
    }
    if (!this.current) throw new AgentError('ContentInvalid', 'the hub sent content before naming its revision');
    this.current.push(message);
  }

  /** Every revision's verified content, by revision. */
  finish(): Map<string, Buffer> {
    this.finishCurrent();
    const missing = this.revisions.slice(this.next);
    if (missing.length) throw new AgentError('ContentInvalid', `the stream ended before revision ${missing[0]} (${missing.length} of ${this.revisions.length} not sent)`);
    return this.done;
  }

  private finishCurrent(): void {
    if (!this.current) return;
    this.done.set(this.revisions[this.next - 1]!, this.current.finish());
    this.current = undefined;
  }
}
