import { Inject, Injectable } from '@nestjs/common';
import type { ServerWritableStream } from '@grpc/grpc-js';
import { MAX_CONTENTS_PER_CALL, type GetBundleContentRequest, type GetBundleContentResponse, type GetBundleContentsRequest, type GetBundleContentsResponse } from '@flotilla/proto';
import { isRevision } from '@flotilla/core';
import { PrismaService } from '../database/prisma.service.js';
import { HUB_CONFIG } from '../platform/config/config.module.js';
import type { HubConfig } from '../platform/config/config.js';
import { DomainError } from '../platform/errors/domain-error.js';
import { HubMetrics } from '../platform/metrics/metrics.js';
import { AssignmentSource } from './assignment.source.js';
import type { ClusterPrincipal } from './cluster-authenticator.js';
import { RevisionContentCache } from './revision-content.cache.js';
import { FlowControlledWriter } from './streams/flow-controlled.writer.js';
import { PerClusterLimiter } from './streams/per-cluster.limiter.js';

/** Chunk size: well under gRPC's default 4 MiB message limit on the agent side. */
export const CONTENT_CHUNK_BYTES = 1024 * 1024;

type ContentMessage = GetBundleContentResponse & GetBundleContentsResponse;
type ContentCall = ServerWritableStream<GetBundleContentRequest, GetBundleContentResponse>;
type ContentsCall = ServerWritableStream<GetBundleContentsRequest, GetBundleContentsResponse>;

/**
 * Streams a revision's content to a cluster it is assigned to. Revisions up
 * to the cache's item bound are read once and shared by every stream;
 * larger ones are read from PostgreSQL one chunk at a time.
 *
 * Bounds (issue 9): a cluster has at most `streams.contentPerCluster` content
 * streams open on this replica (more → RESOURCE_EXHAUSTED `TooManyStreams`; a
 * slot is held until the stream has really ended, so a stalled one counts);
 * each stream holds at most `streams.contentBufferBytes` written but unsent;
 * a reader that takes nothing for `streams.stallSeconds` is dropped
 * (RESOURCE_EXHAUSTED `StreamStalled`), and one that goes away ends the
 * handler at once.
 */
@Injectable()
export class BundleContentHandler {
  private readonly cache: RevisionContentCache;
  private readonly perCluster: PerClusterLimiter;
  private readonly bufferBytes: number;
  private readonly stallMs: number;

  constructor(
    @Inject(PrismaService) private readonly prisma: PrismaService,
    @Inject(AssignmentSource) private readonly assignments: AssignmentSource,
    @Inject(HubMetrics) private readonly metrics: HubMetrics,
    @Inject(HUB_CONFIG) config: HubConfig,
  ) {
    this.cache = new RevisionContentCache(config.contentCacheBytes);
    this.perCluster = new PerClusterLimiter(config.streams.contentPerCluster, 'content streams');
    this.bufferBytes = config.streams.contentBufferBytes;
    this.stallMs = config.streams.stallSeconds * 1000;
  }

  /**
   * GetBundleContent: one revision.
   * @param knownSize the revision's size when the cluster's open Watch stream on this replica was sent a state
   *   assigning it (skips the database check; a revision assigned moments ago is still this cluster's content).
   */
  async send(principal: ClusterPrincipal, call: ContentCall, knownSize?: number): Promise<void> {
    await this.guarded(principal, call, async () => {
      const revision = call.request.revision;
      if (!isRevision(revision)) throw new DomainError('ValidationFailed', 'revision must look like sha256:<64 hex digits>', { field: 'revision' });
      const total = knownSize ?? (await this.assignments.assignedSize(principal.clusterId, revision));
      if (total === undefined) throw notAssigned(revision);
      return [{ revision, total }];
    });
  }

  /**
   * GetBundleContents: several revisions, in the order asked, on one stream.
   * Every revision is checked before the first byte is sent, so a call naming
   * one that is not the cluster's sends nothing.
   * @param knownSize as for {@link send}, per revision.
   */
  async sendMany(principal: ClusterPrincipal, call: ContentsCall, knownSize: (revision: string) => number | undefined): Promise<void> {
    await this.guarded(principal, call, async () => {
      const revisions = validRevisionList(call.request.revisions);
      const unknown = revisions.filter((r) => knownSize(r) === undefined);
      const stored = await this.assignments.assignedSizes(principal.clusterId, unknown);
      return revisions.map((revision, i) => {
        const total = knownSize(revision) ?? stored.get(revision);
        if (total === undefined) throw notAssigned(revision, `revisions[${i}]`);
        return { revision, total };
      });
    });
  }

  /** Holds a per-cluster slot while `plan` checks the request and its revisions are streamed. */
  private async guarded(principal: ClusterPrincipal, call: ContentCall | ContentsCall, plan: () => Promise<{ revision: string; total: number }[]>): Promise<void> {
    const release = this.perCluster.acquire(principal.clusterId);
    // Released when the stream has really ended (sent, or the peer gone), not when this handler returns.
    for (const event of ['finish', 'cancelled', 'close'] as const) call.once(event, release);
    this.metrics.contentStreamsActive.inc();
    try {
      await this.stream(call, await plan());
    } catch (error) {
      if (error instanceof DomainError && error.reason === 'StreamStalled') this.metrics.streamsDropped.inc({ stream: 'GetBundleContent', reason: 'stalled' });
      throw error;
    } finally {
      this.metrics.contentStreamsActive.dec();
    }
  }

  private async stream(call: ContentCall | ContentsCall, revisions: { revision: string; total: number }[]): Promise<void> {
    const writer = new FlowControlledWriter<ContentMessage>(call, this.bufferBytes, this.stallMs);
    for (const { revision, total } of revisions) {
      const chunkAt = this.cache.fits(total) ? await this.whole(revision) : (offset: number) => this.slice(revision, offset);
      for (let offset = 0; offset === 0 || offset < total; offset += CONTENT_CHUNK_BYTES) {
        const chunk = await chunkAt(offset);
        if (writer.isGone) return;
        const first = offset === 0;
        if (!(await writer.write({ chunk, totalSize: first ? total : 0, revision: first ? revision : '' }, chunk.length))) return;
      }
    }
    call.end();
  }

  private async whole(revision: string): Promise<(offset: number) => Promise<Buffer>> {
    const { content, hit } = await this.cache.get(revision, async () => {
      const row = await this.prisma.bundleRevision.findUnique({ where: { id: revision }, select: { content: true } });
      if (!row) throw notAssigned(revision);
      this.metrics.contentDatabaseBytes.inc(row.content.length);
      return Buffer.from(row.content);
    });
    this.metrics.contentCache.inc({ result: hit ? 'hit' : 'miss' });
    return async (offset) => content.subarray(offset, offset + CONTENT_CHUNK_BYTES);
  }

  /** One chunk straight from PostgreSQL (content is stored uncompressed, so substring reads only the slice). */
  private async slice(revision: string, offset: number): Promise<Buffer> {
    const rows = await this.prisma.$queryRaw<{ chunk: Uint8Array }[]>`
      SELECT substring(content FROM ${offset + 1}::int FOR ${CONTENT_CHUNK_BYTES}::int) AS chunk
      FROM bundle_revisions WHERE id = ${revision}`;
    const chunk = Buffer.from(rows[0]?.chunk ?? new Uint8Array());
    this.metrics.contentDatabaseBytes.inc(chunk.length);
    if (offset === 0) this.metrics.contentCache.inc({ result: 'uncached' });
    return chunk;
  }
}

/** A GetBundleContents request's revisions: 1 to MAX_CONTENTS_PER_CALL, each well-formed, none twice. */
function validRevisionList(revisions: string[]): string[] {
  if (revisions.length === 0 || revisions.length > MAX_CONTENTS_PER_CALL) {
    throw new DomainError('ValidationFailed', `revisions must name 1 to ${MAX_CONTENTS_PER_CALL} revisions (got ${revisions.length})`, { field: 'revisions' });
  }
  const seen = new Set<string>();
  revisions.forEach((revision, i) => {
    if (!isRevision(revision)) throw new DomainError('ValidationFailed', 'revision must look like sha256:<64 hex digits>', { field: `revisions[${i}]` });
    if (seen.has(revision)) throw new DomainError('ValidationFailed', `revision ${revision} is asked for twice`, { field: `revisions[${i}]` });
    seen.add(revision);
  });
  return revisions;
}

/** Same answer for "not yours" and "does not exist": no probing of other clusters' content. */
function notAssigned(revision: string, field = 'revision'): DomainError {
  return new DomainError('RevisionNotAssigned', `revision ${revision} is not assigned to this cluster`, { field });
}
