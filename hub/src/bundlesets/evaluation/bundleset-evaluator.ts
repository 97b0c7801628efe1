import { Inject, Injectable, Logger } from '@nestjs/common';
import { Prisma } from '../../generated/prisma/client.js';
import { SourceBundleWriter } from '../../bundles/source-bundle.writer.js';
import { PrismaService } from '../../database/prisma.service.js';
import { GitTreeReader } from '../../gitrepos/git/git-tree.reader.js';
import { HUB_CONFIG } from '../../platform/config/config.module.js';
import type { HubConfig } from '../../platform/config/config.js';
import { isDomainError } from '../../platform/errors/domain-error.js';
import type { GeneratedBundleSpec } from '../template/bundle-template.types.js';
import { BundleSources, type GeneratedSource } from './bundle-sources.js';
import { fromRow, type BundleSetRow } from './bundleset-row.js';
import { EvaluationError, type EvaluationResult, type EvaluationWhere } from './bundleset.types.js';
import { computeRun, type BundleSetRun, type GeneratedRecord } from './bundleset-run.js';
import { EvaluationInputs } from './generator-context.js';

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

  constructor(
    @Inject(PrismaService) private readonly prisma: PrismaService,
    @Inject(SourceBundleWriter) private readonly writer: SourceBundleWriter,
    @Inject(HUB_CONFIG) config: HubConfig,
  ) {
    this.git = new GitTreeReader({ cacheDir: config.git.cacheDir, timeoutMs: config.git.timeoutSeconds * 1000 });
  }

  /** Evaluates the BundleSet `id` and writes the outcome into its status; 'gone' when it was deleted. */
  async evaluate(id: string): Promise<EvaluationResult | 'gone'> {
    const row = (await this.prisma.bundleSet.findUnique({ where: { id } })) as BundleSetRow | null;
    if (!row) return 'gone';
    const inputs = new EvaluationInputs(this.prisma, this.git);
    let run: BundleSetRun;
    try {
      run = await computeRun(this.prisma, inputs, fromRow(row), id, row.approvedDeletion);
      if (run.conflicts.length) {
        const c = run.conflicts[0]!;
        throw new EvaluationError('BundleConflict', `bundle "${c.name}" already exists, owned by ${c.owner}${run.conflicts.length > 1 ? ` (and ${run.conflicts.length - 1} more)` : ''}: nothing changed`, { field: 'template.name' });
      }
      if (run.plan.hold) {
        const hold = run.plan.hold;
        await this.status(id, hold.reason, hold.message, {}, run.generated.paramSets.length, 'deletion' in hold ? hold.deletion : null);
        return hold.reason;
      }
      const writes = await this.sources(inputs, run);
      await this.write(id, writes, run.plan.delete);
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
    await this.status(id, 'Evaluated', skipped.join('; '), {}, run.generated.paramSets.length, null);
    return 'Evaluated';
  }

  /** Every bundle to write, with its directory read: what is unchanged (same spec, same commit) is left out. */
  private async sources(inputs: EvaluationInputs, run: BundleSetRun): Promise<Array<{ spec: GeneratedBundleSpec; read: GeneratedSource }>> {
    const sources = new BundleSources(inputs);
    const out: Array<{ spec: GeneratedBundleSpec; read: GeneratedSource }> = [];
    const candidates = [...run.plan.create, ...run.plan.update.map((u) => u.after), ...run.plan.keep];
    for (const spec of candidates) {
      const had = run.existing.get(spec.name);
      if (had && JSON.stringify(had.spec) === JSON.stringify(spec)) {
        const { commit } = await inputs.gitRepo(spec.gitRepo, spec.revision).catch(() => ({ commit: '' }));
        if (commit && commit === had.commit) continue;
      }
      out.push({ spec, read: await sources.forSpec(spec) });
    }
    return out;
  }

  private async write(id: string, writes: Array<{ spec: GeneratedBundleSpec; read: GeneratedSource }>, deletions: string[]): Promise<void> {
    for (const { spec, read } of writes) {
      const record: GeneratedRecord = { spec, commit: read.commit };
      try {
        await this.writer.put(spec.name, {
          source: read.source,
          overrides: read.overrides,
          targets: spec.targets,
          owner: { bundleSetId: id, generatedSpec: record as unknown as Prisma.InputJsonValue },
        });
      } catch (error) {
        // Another owner took the name between the check and the write.
        if (isDomainError(error)) throw new EvaluationError('BundleConflict', `bundle "${spec.name}": ${error.message}`, { field: 'template.name' }, { cause: error });
        throw error;
      }
    }
    if (deletions.length) await this.writer.delete({ bundleSetId: id, name: { in: deletions } });
  }

  private async status(
    id: string,
    result: EvaluationResult,
    message: string,
    where: EvaluationWhere,
    paramSetCount: number,
    pendingDeletion: { digest: string; names: string[] } | null | undefined,
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
      },
    });
  }
}
