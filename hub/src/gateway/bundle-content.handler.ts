import { Inject, Injectable } from '@nestjs/common';
import type { ServerWritableStream } from '@grpc/grpc-js';
import type { GetBundleContentRequest, GetBundleContentResponse } from '@flotilla/proto';
import { isRevision } from '@flotilla/core';
import { PrismaService } from '../database/prisma.service.js';
import { DomainError } from '../platform/errors/domain-error.js';
import { AssignmentSource } from './assignment.source.js';
import type { ClusterPrincipal } from './cluster-authenticator.js';

/** Chunk size: well under gRPC's default 4 MiB message limit on the agent side. */
export const CONTENT_CHUNK_BYTES = 1024 * 1024;

/** Streams a revision's content to a cluster it is assigned to. */
@Injectable()
export class BundleContentHandler {
  constructor(
    @Inject(PrismaService) private readonly prisma: PrismaService,
    @Inject(AssignmentSource) private readonly assignments: AssignmentSource,
  ) {}

  async send(principal: ClusterPrincipal, call: ServerWritableStream<GetBundleContentRequest, GetBundleContentResponse>): Promise<void> {
    const revision = call.request.revision;
    if (!isRevision(revision)) {
      throw new DomainError('ValidationFailed', 'revision must look like sha256:<64 hex digits>', { field: 'revision' });
    }
    // Same answer for "not yours" and "does not exist": no probing of other clusters' content.
    if (!(await this.assignments.isAssigned(principal.clusterId, revision))) {
      throw new DomainError('RevisionNotAssigned', `revision ${revision} is not assigned to this cluster`, { field: 'revision' });
    }
    const row = await this.prisma.bundleRevision.findUnique({ where: { id: revision }, select: { content: true } });
    if (!row) throw new DomainError('RevisionNotAssigned', `revision ${revision} is not assigned to this cluster`, { field: 'revision' });
    const content = Buffer.from(row.content);
    for (let offset = 0; offset === 0 || offset < content.length; offset += CONTENT_CHUNK_BYTES) {
      const chunk = content.subarray(offset, offset + CONTENT_CHUNK_BYTES);
      const first = offset === 0;
      const ok = call.write({ chunk, totalSize: first ? content.length : 0, revision: first ? revision : '' });
      // Respect HTTP/2 flow control instead of buffering 20 MiB in memory.
      if (!ok) await new Promise<void>((resolve) => call.once('drain', resolve));
      if (call.cancelled) return;
    }
    call.end();
  }
}
