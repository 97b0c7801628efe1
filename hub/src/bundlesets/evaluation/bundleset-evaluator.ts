import { Inject, Injectable, Logger } from '@nestjs/common';
import { Prisma } from '../../generated/prisma/client.js';
import { PrismaService } from '../../database/prisma.service.js';
import { GitTreeReader } from '../../gitrepos/git/git-tree.reader.js';
import { HUB_CONFIG } from '../../platform/config/config.module.js';
import { HubMetrics } from '../../platform/metrics/metrics.js';
import type { HubConfig } from '../../platform/config/config.js';
import { sourceIdOf } from '../../bundles/source-bundle.writer.js';
import { sameSpec } from '../plan/bundleset-plan.js';
import { BundleSources, SourceCache } from './bundle-sources.js';
import { BundleSetWriter, type BundleWrite } from './bundleset-writer.js';
import { fromRow, type BundleSetRow } from './bundleset-row.js';
import { EvaluationError, type EvaluationResult, type EvaluationWhere } from './bundleset.types.js';
import { computeRun, type BundleSetRun } from './bundleset-run.js';
import type { EntryCount } from './evaluate-bundleset.js';
import { EvaluationInputs, type RevisionFetcher } from './generator-context.js';
import { revisionFetcher } from './revision-fetcher.js';
import { clusterSeparable } from './cluster-scope.js';

/** A request for more clusters than this is evaluated whole (a registration storm: one run is cheaper). */
const MAX_SCOPED_CLUSTERS = 1000;

/**
 * Runs BundleSet evaluations (the `render` role, from the evaluation queue).
 * A run is all or nothing up to its writes: generators, templates, guards,
 * name conflicts and every bundle directory are checked before the first
 * bundle is written or deleted, so any failure leaves every cluster as it
 * was and puts the reason in the BundleSet's status.
 */
@Injectable()
export class BundleSetEvaluator {
  private readonly logger = new Logger(BundleSetEvaluator.name);
  readonly git: GitTreeReader;
  private readonly sourceCache = new SourceCache();
  private readonly fetcher: (bundleSetId: string) => RevisionFetcher;

  constructor(
    @Inject(PrismaService) private readonly prisma: PrismaService,
    @Inject(BundleSetWriter) private readonly writer: BundleSetWriter,
    @Inject(HubMetrics) private readonly metrics: HubMetrics,
    @Inject(HUB_CONFIG) config: HubConfig,
  ) {
    this.git = new GitTreeReader({ cacheDir: config.git.cacheDir, timeoutMs: config.git.timeoutSeconds * 1000 });
    this.fetcher = (bundleSetId) => revisionFetcher(config, `bundleset-${bundleSetId}`);
  }

  /**
   * Evaluates the BundleSet `id` and writes the outcome into its status;
   * 'gone' when it was deleted. A request for some clusters only (they
   * joined, changed labels or left) evaluates just their parameter sets when
   * the generators allow it (cluster-scope.ts); anything else, the whole set.
   */
  async evaluate(id: string, request: { full: boolean; clusterIds: string[] } = { full: true, clusterIds: [] }): Promise<EvaluationResult | 'gone'> {
    const timer = this.metrics.bundleSetEvaluations.startTimer();
    const result = await this.run(id, request);
    if (result !== 'gone') timer({ result });
    return result;
  }

  private async run(id: string, request: { full: boolean; clusterIds: string[] }): Promise<EvaluationResult | 'gone'> {
    const started = performance.now();
    const row: BundleSetRow | null = await this.prisma.bundleSet.findUnique({ where: { id } });
    if (!row) return 'gone';
    const set = fromRow(row);
    const partial = !request.full && request.clusterIds.length > 0 && request.clusterIds.length <= MAX_SCOPED_CLUSTERS && clusterSeparable(set.generators as Array<Record<string, unknown>>);
    let scope = partial ? { clusterIds: request.clusterIds } : undefined;
    let inputs = new EvaluationInputs(this.prisma, this.git, this.fetcher(id));
    const previous = { approvedDeletion: row.approvedDeletion, entryCounts: row.entryCounts as unknown as EntryCount[] };
    let run: BundleSetRun;
    try {
      run = await computeRun(this.prisma, inputs, set, id, previous, scope);
      if (scope && !set.allowEmpty && (await this.emptiesClusterEntries(id, run))) {
        // The last cluster-made bundles would go: evaluate whole, so the per-entry empty-result guard decides.
        scope = undefined;
        inputs = new EvaluationInputs(this.prisma, this.git, this.fetcher(id));
        run = await computeRun(this.prisma, inputs, set, id, previous);
      }
      if (run.conflicts.length) {
        const c = run.conflicts[0]!;
        throw new EvaluationError('BundleConflict', `bundle "${c.name}" already exists, owned by ${c.owner}${run.conflicts.length > 1 ? ` (and ${run.conflicts.length - 1} more)` : ''}: nothing changed`, { field: 'template.name' });
      }
      if (run.plan.hold) {
        const hold = run.plan.hold;
        await this.status(id, hold.reason, hold.message, {}, scope ? row.paramSetCount : run.generated.paramSets.length, 'deletion' in hold ? hold.deletion : null);
        return hold.reason;
      }
      const t0 = performance.now();
      const { writes, commits } = await this.sources(inputs, run);
      const t1 = performance.now();
      const done = await this.writer.write(id, writes, run.plan.delete, commits);
      const t2 = performance.now();
      this.logger.log(
        `BundleSet ${row.name} evaluated${scope ? ` for ${scope.clusterIds.length} cluster(s)` : ''} in ${Math.round(t2 - started)} ms: ${run.generated.paramSets.length} parameter set(s), ` +
          `${done.created} created, ${done.updated} updated, ${done.deleted} deleted, ${run.generated.bundles.length - writes.length} unchanged ` +
          `(generate ${run.timings.generateMs} ms, plan ${run.timings.planMs} ms, sources ${Math.round(t1 - t0)} ms, write ${Math.round(t2 - t1)} ms)`,
      );
    } catch (error) {
      if (!(error instanceof EvaluationError)) throw error;
      this.logger.warn('BundleSet evaluation failed; nothing changed', { bundleSet: row.name, result: error.result, message: error.message });
      await this.status(id, error.result, error.message, error.where, 0, undefined);
      return error.result;
    }
    const p = run.plan;
    const skipped = [
      ...(p.skipped.update.length ? [`${p.skipped.update.length} update(s) not done (policy ${row.policy})`] : []),
      ...(p.skipped.delete.length ? [`${p.skipped.delete.length} deletion(s) not done (policy ${row.policy})`] : []),
    ];
    // A run for some clusters moves the count by what it changed; only a whole run sets the per-entry baseline.
    const paramSetCount = scope ? Math.max(0, row.paramSetCount + run.generated.paramSets.length - run.existing.size) : run.generated.paramSets.length;
    await this.status(id, 'Evaluated', skipped.join('; '), {}, paramSetCount, null, scope ? undefined : run.generated.entryCounts);
    return 'Evaluated';
  }

  /** True when a run for some clusters would delete every bundle the BundleSet made from clusters. */
  private async emptiesClusterEntries(id: string, run: BundleSetRun): Promise<boolean> {
    if (run.plan.delete.length === 0) return false;
    const fromClusters = await this.prisma.bundle.count({ where: { bundleSetId: id, generatedForCluster: { not: null } } });
    return fromClusters - run.plan.delete.length + run.plan.create.length <= 0;
  }

  /** Puts an unexpected failure (a database error, a bug) into the status: the run changed nothing and will be retried. */
  async recordFailure(id: string, error: Error): Promise<void> {
    await this.status(id, 'EvaluationFailed', `evaluation failed and will be retried: ${error.message}`, {}, 0, undefined).catch(() => undefined);
  }

  /**
   * Every bundle to write, with its directory read. Left out: what is
   * unchanged (same spec, same commit), and what a new commit did not change
   * (same spec, same directory content): those only record the commit they
   * were checked at (`commits`), so a commit to one directory rewrites and
   * re-delivers only the bundles made from it.
   */
  private async sources(inputs: EvaluationInputs, run: BundleSetRun): Promise<{ writes: BundleWrite[]; commits: Map<string, string> }> {
    const sources = new BundleSources(inputs, this.sourceCache);
    const writes: BundleWrite[] = [];
    const commits = new Map<string, string>();
    const candidates = [...run.plan.create, ...run.plan.update.map((u) => u.after), ...run.plan.keep];
    const clusterOf = new Map(run.generated.bundles.map((b, i) => [b.name, run.generated.clusterIds[i] ?? null]));
    for (const spec of candidates) {
      const had = run.existing.get(spec.name);
      const same = !!had && sameSpec(had.spec, spec);
      if (same) {
        const { commit } = await inputs.gitRepo(spec.gitRepo, spec.revision).catch(() => ({ commit: '' }));
        if (commit && commit === had.commit) continue;
      }
      const read = await sources.forSpec(spec);
      if (same && sourceIdOf(read.source.digest, read.overrides) === run.sourceIds.get(spec.name)) {
        commits.set(spec.name, read.commit);
        continue;
      }
      writes.push({ spec, read, exists: run.existing.has(spec.name), clusterId: clusterOf.get(spec.name) ?? null });
    }
    return { writes, commits };
  }

  private async status(
    id: string,
    result: EvaluationResult,
    message: string,
    where: EvaluationWhere,
    paramSetCount: number,
    pendingDeletion: { digest: string; names: string[] } | null | undefined,
    /** Only a run that went ahead sets the baseline of the empty-result guard. */
    entryCounts?: EntryCount[],
  ): Promise<void> {
    await this.prisma.bundleSet.updateMany({
      where: { id },
      data: {
        result,
        message: message.slice(0, 4000),
        errorWhere: where as Prisma.InputJsonValue,
        evaluatedAt: new Date(),
        ...(result === 'Evaluated' || result === 'EmptyResult' || result === 'ApprovalRequired' ? { paramSetCount } : {}),
        ...(pendingDeletion === undefined ? {} : { pendingDeletion: pendingDeletion === null ? Prisma.DbNull : (pendingDeletion as Prisma.InputJsonValue) }),
        // An approval is spent by the run it let through.
        ...(result === 'Evaluated' ? { approvedDeletion: '' } : {}),
        ...(entryCounts ? { entryCounts: entryCounts as unknown as Prisma.InputJsonValue } : {}),
      },
    });
  }
}
