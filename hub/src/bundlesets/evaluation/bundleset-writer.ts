import { Inject, Injectable } from '@nestjs/common';
import { SourceBundleWriter, sourceIdOf } from '../../bundles/source-bundle.writer.js';
import { PrismaService } from '../../database/prisma.service.js';
import { FanoutQueue } from '../../delivery/fanout.queue.js';
import { HubMetrics } from '../../platform/metrics/metrics.js';
import type { GeneratedBundleSpec } from '../template/bundle-template.types.js';
import type { GeneratedSource } from './bundle-sources.js';
import { EvaluationError } from './bundleset.types.js';
import type { GeneratedRecord } from './bundleset-run.js';

/** One bundle a run writes. */
export interface BundleWrite {
  spec: GeneratedBundleSpec;
  read: GeneratedSource;
  /** True when the BundleSet already has a bundle of this name. */
  exists: boolean;
  /** The cluster whose parameter set made it, if any. */
  clusterId: string | null;
}

/** Rows per statement: large enough to amortise round trips, small enough for PostgreSQL's parameter limits and memory. */
const CHUNK = 2000;

/**
 * Writes a BundleSet run's bundles in bulk (a matrix can yield 50,000): each
 * distinct source stored once, then one transaction of INSERT … SELECT FROM
 * unnest / UPDATE … FROM unnest statements, so the run's writes are all or
 * nothing; a name another owner took since the plan was made aborts it.
 * Every written bundle is marked for the fan-out in the same statement, and
 * its fan-out jobs are queued in bulk after the commit.
 */
@Injectable()
export class BundleSetWriter {
  constructor(
    @Inject(PrismaService) private readonly prisma: PrismaService,
    @Inject(SourceBundleWriter) private readonly sources: SourceBundleWriter,
    @Inject(FanoutQueue) private readonly fanout: FanoutQueue,
    @Inject(HubMetrics) private readonly metrics: HubMetrics,
  ) {}

  /** Returns how many bundles were created, updated and deleted. */
  async write(
    bundleSetId: string,
    writes: readonly BundleWrite[],
    deletions: readonly string[],
    /** Bundles a new commit left as they were: only the commit they were checked at is recorded (no fan-out). */
    commits: ReadonlyMap<string, string> = new Map(),
  ): Promise<{ created: number; updated: number; deleted: number }> {
    const rows = writes.map((w) => ({ w, sourceId: sourceIdOf(w.read.source.digest, w.read.overrides) }));
    const stored = new Set<string>();
    for (const { w, sourceId } of rows) {
      if (stored.has(sourceId)) continue;
      stored.add(sourceId);
      await this.sources.storeSource(sourceId, w.read.source, w.read.overrides);
    }
    const ids: string[] = [];
    let created = 0;
    await this.prisma.$transaction(
      async (tx) => {
        // One run per BundleSet at a time across replicas (the queue's job id is per BundleSet; this covers a stray one).
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`flotilla:bundleset:${bundleSetId}`}, 0))`;
        const checked = [...commits];
        for (let i = 0; i < checked.length; i += CHUNK) {
          const chunk = checked.slice(i, i + CHUNK);
          await tx.$executeRaw`
            UPDATE bundles b SET generated_spec = jsonb_set(b.generated_spec, '{commit}', to_jsonb(v.commit))
            FROM unnest(${chunk.map((c) => c[0])}::text[], ${chunk.map((c) => c[1])}::text[]) AS v(name, commit)
            WHERE b.name = v.name AND b.bundle_set_id = ${bundleSetId}::uuid`;
        }
        for (let i = 0; i < rows.length; i += CHUNK) {
          const chunk = rows.slice(i, i + CHUNK);
          const creates = chunk.filter((r) => !r.w.exists);
          const updates = chunk.filter((r) => r.w.exists);
          if (creates.length) {
            const cols = columns(creates);
            const made = await tx.$queryRaw<{ id: string }[]>`
              INSERT INTO bundles (id, name, targets, options, source_id, render_state, bundle_set_id, generated_spec, generated_for_cluster, fanout_requested_at, updated_at)
              SELECT gen_random_uuid(), v.name, v.targets::jsonb, '{}'::jsonb, v.source_id, 'Rendering'::"RenderState", ${bundleSetId}::uuid, v.spec::jsonb, v.cluster, now(), now()
              FROM unnest(${cols.names}::text[], ${cols.targets}::text[], ${cols.sourceIds}::text[], ${cols.specs}::text[], ${cols.clusters}::uuid[]) AS v(name, targets, source_id, spec, cluster)
              ON CONFLICT (name) DO NOTHING
              RETURNING id::text AS id`;
            if (made.length !== creates.length) {
              throw new EvaluationError('BundleConflict', `${creates.length - made.length} bundle name(s) were taken by another owner during the run: nothing changed`, { field: 'template.name' });
            }
            ids.push(...made.map((r) => r.id));
            created += made.length;
          }
          if (updates.length) {
            const cols = columns(updates);
            const changed = await tx.$queryRaw<{ id: string }[]>`
              UPDATE bundles b SET
                targets = v.targets::jsonb, generated_spec = v.spec::jsonb, source_id = v.source_id, generated_for_cluster = v.cluster,
                render_state = CASE WHEN b.source_id = v.source_id THEN b.render_state ELSE 'Rendering'::"RenderState" END,
                render_reason = CASE WHEN b.source_id = v.source_id THEN b.render_reason ELSE '' END,
                render_message = CASE WHEN b.source_id = v.source_id THEN b.render_message ELSE '' END,
                fanout_requested_at = now(), updated_at = now()
              FROM unnest(${cols.names}::text[], ${cols.targets}::text[], ${cols.sourceIds}::text[], ${cols.specs}::text[], ${cols.clusters}::uuid[]) AS v(name, targets, source_id, spec, cluster)
              WHERE b.name = v.name AND b.bundle_set_id = ${bundleSetId}::uuid
              RETURNING b.id::text AS id`;
            ids.push(...changed.map((r) => r.id));
          }
        }
      },
      { timeout: 120_000, maxWait: 30_000 },
    );
    await this.fanout.reconcileBundles(ids);
    let deleted = 0;
    for (let i = 0; i < deletions.length; i += CHUNK) deleted += await this.sources.delete({ bundleSetId, name: { in: deletions.slice(i, i + CHUNK) } });
    const counts = { created, updated: ids.length - created, deleted };
    for (const [op, n] of Object.entries(counts)) if (n) this.metrics.bundleSetWrites.inc({ op }, n);
    return counts;
  }
}

function columns(rows: ReadonlyArray<{ w: BundleWrite; sourceId: string }>) {
  return {
    names: rows.map((r) => r.w.spec.name),
    targets: rows.map((r) => JSON.stringify(r.w.spec.targets)),
    sourceIds: rows.map((r) => r.sourceId),
    specs: rows.map((r) => JSON.stringify({ spec: r.w.spec, commit: r.w.read.commit } satisfies GeneratedRecord)),
    clusters: rows.map((r) => r.w.clusterId),
  };
}
