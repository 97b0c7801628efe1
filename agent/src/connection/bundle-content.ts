import type { GetBundleContentResponse } from '@flotilla/proto';
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

  push(message: GetBundleContentResponse): void {
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
