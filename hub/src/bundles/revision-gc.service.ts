import { Inject, Injectable } from '@nestjs/common';
import { Prisma } from '../generated/prisma/client.js';
import { PrismaService } from '../database/prisma.service.js';

/** What one sweep did. */
export interface RevisionGcResult {
  /** Revisions newly found unreferenced (their grace period starts now). */
  marked: number;
  /** Revisions referenced again, whose mark was cleared. */
  unmarked: number;
  /** Revisions deleted (unreferenced for longer than the grace period). */
  deleted: number;
  /** Bundle directories no bundle uses, last uploaded longer ago than the grace period (their renders go with them). */
  deletedSources: number;
}

/**
 * A revision is referenced by a bundle's current revision, a deployment's staged, desired or applied one, a rollout
 * history entry (rollback goes back to it), or a stored render
 * of a bundle directory (kept while the directory is: a cluster changing back to a customisation reuses it).
 */
const REFERENCED = Prisma.sql`(
  EXISTS (SELECT 1 FROM bundles b WHERE b.revision_id = r.id)
  OR EXISTS (SELECT 1 FROM bundle_renders br WHERE br.revision_id = r.id)
  OR EXISTS (SELECT 1 FROM deployments d WHERE d.desired_revision = r.id)
  OR EXISTS (SELECT 1 FROM deployments d WHERE d.staged_revision = r.id)
  OR EXISTS (SELECT 1 FROM rollouts ro WHERE ro.revision_id = r.id)
  OR EXISTS (SELECT 1 FROM deployments d WHERE d.applied_revision = r.id))`;

/**
 * Garbage collection of bundle revisions (rule in docs/architecture.md,
 * "Revision garbage collection"): each sweep stamps `unreferenced_since` on
 * revisions nothing references, clears it on those referenced again, and
 * deletes those stamped longer ago than the grace period, re-checking
 * references in the same statement. Reusing content (PUT of a bundle) clears
 * the stamp too. Idempotent, so any replica may run it.
 */
@Injectable()
export class RevisionGcService {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  async sweep(graceSeconds: number): Promise<RevisionGcResult> {
    // Sources first: their renders go with them (cascade), which may leave revisions unreferenced for the steps below.
    const deletedSources = await this.prisma.$executeRaw`
      DELETE FROM bundle_sources s
      WHERE s.created_at < now() - make_interval(secs => ${graceSeconds})
        AND NOT EXISTS (SELECT 1 FROM bundles b WHERE b.source_id = s.id)
        AND NOT EXISTS (SELECT 1 FROM rollouts ro WHERE ro.source_id = s.id)`;
    const unmarked = await this.prisma.$executeRaw`
      UPDATE bundle_revisions r SET unreferenced_since = NULL WHERE r.unreferenced_since IS NOT NULL AND ${REFERENCED}`;
    const marked = await this.prisma.$executeRaw`
      UPDATE bundle_revisions r SET unreferenced_since = now() WHERE r.unreferenced_since IS NULL AND NOT ${REFERENCED}`;
    const deleted = await this.prisma.$executeRaw`
      DELETE FROM bundle_revisions r
      WHERE r.unreferenced_since < now() - make_interval(secs => ${graceSeconds}) AND NOT ${REFERENCED}`;
    return { marked, unmarked, deleted, deletedSources };
  }
}
