import { Inject, Injectable } from '@nestjs/common';
import { Prisma } from '../generated/prisma/client.js';
import { SourceBundleWriter } from '../bundles/source-bundle.writer.js';
import { PrismaService } from '../database/prisma.service.js';
import { GitTreeReader } from '../gitrepos/git/git-tree.reader.js';
import { HUB_CONFIG } from '../platform/config/config.module.js';
import type { HubConfig } from '../platform/config/config.js';
import { DomainError } from '../platform/errors/domain-error.js';
import { decodeCursor, toPage, type Page, type PageRequest } from '../platform/http/pagination.js';
import type { BundleTarget } from '../target/bundle-target.js';
import type { PreviewBundleSet, PutBundleSet } from './bundleset.api.js';
import { BundleSetQueue } from './evaluation/bundleset-evaluation.queue.js';
import { computeRun, reach } from './evaluation/bundleset-run.js';
import type { EntryCount } from './evaluation/evaluate-bundleset.js';
import { EvaluationError, type BundleSetSpec, type EvaluationWhere } from './evaluation/bundleset.types.js';
import { requestEvaluation } from './evaluation/evaluation-marker.js';
import { EvaluationInputs, type RevisionFetcher } from './evaluation/generator-context.js';
import { revisionFetcher } from './evaluation/revision-fetcher.js';
import { BundleTemplateError } from './template/bundle-template.error.js';
import { checkTemplateSyntax } from './template/check-template-syntax.js';
import { toView, type BundleSetView } from './bundleset.view.js';

/** Most entries of each list a preview returns (a matrix can yield 50,000): `counts` has the totals. */
export const PREVIEW_LIST_LIMIT = 1000;

/** What POST /api/v1/bundlesets/preview answers. */
export interface BundleSetPreview {
  counts: { paramSets: number; create: number; update: number; delete: number; unchanged: number };
  /** True when a list was cut at PREVIEW_LIST_LIMIT. */
  truncated: boolean;
  paramSets: Array<Record<string, unknown>>;
  create: Array<{ name: string; spec: unknown; clusters: string[] }>;
  update: Array<{ name: string; spec: unknown; diff: unknown[]; clusters: string[] }>;
  delete: Array<{ name: string; clusters: string[] }>;
  unchanged: string[];
  skipped: { update: string[]; delete: string[] };
  conflicts: Array<{ name: string; owner: string }>;
  hold: { reason: string; message: string } | null;
  error: { result: string; message: string; where: EvaluationWhere } | null;
}

/**
 * BundleSets through the REST API: saved after their templates parse (a
 * syntax error is a 400 naming the field, and nothing is written), evaluated
 * by the render role's worker; preview runs the same computation here and
 * writes nothing.
 */
@Injectable()
export class BundleSetService {
  private readonly git: GitTreeReader;
  private readonly fetchRevision: RevisionFetcher;

  constructor(
    @Inject(PrismaService) private readonly prisma: PrismaService,
    @Inject(BundleSetQueue) private readonly queue: BundleSetQueue,
    @Inject(SourceBundleWriter) private readonly bundles: SourceBundleWriter,
    @Inject(HUB_CONFIG) config: HubConfig,
  ) {
    this.git = new GitTreeReader({ cacheDir: config.git.cacheDir, timeoutMs: config.git.timeoutSeconds * 1000 });
    // A preview may read a revision no GitRepo fetched: fetched into a cache of previews' own (the GitRepos' stay untouched).
    this.fetchRevision = revisionFetcher(config, 'preview');
  }

  async put(name: string, input: PutBundleSet): Promise<{ created: boolean; set: BundleSetView }> {
    assertTemplateSyntax(input.template, input.generators);
    const existing = await this.prisma.bundleSet.findUnique({ where: { name }, select: { id: true } });
    const data = {
      generators: input.generators as Prisma.InputJsonValue,
      template: input.template as unknown as Prisma.InputJsonValue,
      policy: input.syncPolicy.bundlesSync,
      preserveResourcesOnDeletion: input.syncPolicy.preserveResourcesOnDeletion,
      allowEmpty: input.syncPolicy.allowEmpty,
      maxDeleteFraction: input.syncPolicy.maxDeleteFraction,
      evaluationRequestedAt: new Date(),
      pendingFull: true,
    };
    const row = await this.prisma.bundleSet.upsert({ where: { name }, create: { name, ...data }, update: data });
    await this.queue.evaluate(row.id);
    return { created: !existing, set: await this.get(name) };
  }

  async list(page: PageRequest): Promise<Page<BundleSetView>> {
    const after = decodeCursor(page.cursor, 1)?.[0];
    const rows = await this.prisma.bundleSet.findMany({ where: after !== undefined ? { name: { gt: after } } : {}, orderBy: { name: 'asc' }, take: page.limit + 1 });
    const counts = await this.deploymentCounts(rows.map((r) => r.id));
    return toPage(rows, page.limit, (r) => [r.name], (r) => toView(r, counts.get(r.id)));
  }

  async get(name: string): Promise<BundleSetView> {
    const row = await this.prisma.bundleSet.findUnique({ where: { name } });
    if (!row) throw notFound(name);
    return toView(row, (await this.deploymentCounts([row.id])).get(row.id));
  }

  /** What an evaluation of `input` would do now, against the saved BundleSet `input.name` (if any); changes nothing. */
  async preview(input: PreviewBundleSet): Promise<BundleSetPreview> {
    assertTemplateSyntax(input.template, input.generators);
    const saved = input.name ? await this.prisma.bundleSet.findUnique({ where: { name: input.name }, select: { id: true, approvedDeletion: true, entryCounts: true } }) : null;
    const set: BundleSetSpec = {
      name: input.name ?? '',
      generators: input.generators,
      template: input.template,
      policy: input.syncPolicy.bundlesSync,
      preserveResourcesOnDeletion: input.syncPolicy.preserveResourcesOnDeletion,
      allowEmpty: input.syncPolicy.allowEmpty,
      maxDeleteFraction: input.syncPolicy.maxDeleteFraction,
    };
    const inputs = new EvaluationInputs(this.prisma, this.git, this.fetchRevision);
    const empty: BundleSetPreview = {
      counts: { paramSets: 0, create: 0, update: 0, delete: 0, unchanged: 0 },
      truncated: false,
      paramSets: [],
      create: [],
      update: [],
      delete: [],
      unchanged: [],
      skipped: { update: [], delete: [] },
      conflicts: [],
      hold: null,
      error: null,
    };
    const cut = <T>(list: readonly T[]): T[] => list.slice(0, PREVIEW_LIST_LIMIT);
    try {
      const previous = { approvedDeletion: saved?.approvedDeletion ?? '', entryCounts: (saved?.entryCounts as EntryCount[] | undefined) ?? [] };
      const run = await computeRun(this.prisma, inputs, set, saved?.id, previous);
      const p = run.plan;
      const targetsOf = (name: string): BundleTarget[] => run.existing.get(name)?.spec.targets ?? [];
      const lists = [run.generated.paramSets, p.create, p.update, p.delete, p.keep, p.skipped.update, p.skipped.delete];
      return {
        counts: { paramSets: run.generated.paramSets.length, create: p.create.length, update: p.update.length, delete: p.delete.length, unchanged: p.keep.length },
        truncated: lists.some((l) => l.length > PREVIEW_LIST_LIMIT),
        paramSets: cut(run.generated.paramSets).map((s) => ({ ...s })),
        create: await Promise.all(cut(p.create).map(async (spec) => ({ name: spec.name, spec, clusters: await reach(inputs, spec.targets) }))),
        update: await Promise.all(cut(p.update).map(async (u) => ({ name: u.name, spec: u.after, diff: u.diff, clusters: await reach(inputs, u.after.targets) }))),
        delete: await Promise.all(cut(p.delete).map(async (name) => ({ name, clusters: await reach(inputs, targetsOf(name)) }))),
        unchanged: cut(p.keep).map((s) => s.name),
        skipped: { update: cut(p.skipped.update), delete: cut(p.skipped.delete) },
        conflicts: run.conflicts,
        hold: p.hold ? { reason: p.hold.reason, message: p.hold.message } : null,
        error: null,
      };
    } catch (error) {
      if (!(error instanceof EvaluationError)) throw error;
      return { ...empty, error: { result: error.result, message: error.message, where: error.where } };
    }
  }

  /** Lets the deletions the BundleSet waits for go ahead (that exact set: a larger one waits again). */
  async approve(name: string): Promise<BundleSetView> {
    const row = await this.prisma.bundleSet.findUnique({ where: { name }, select: { id: true, pendingDeletion: true } });
    if (!row) throw notFound(name);
    const pending = row.pendingDeletion as { digest: string } | null;
    if (!pending) throw new DomainError('NoPendingDeletion', `BundleSet "${name}" is not waiting for an approval`);
    await this.prisma.bundleSet.update({ where: { id: row.id }, data: { approvedDeletion: pending.digest } });
    return this.refresh(name);
  }

  async refresh(name: string): Promise<BundleSetView> {
    const row = await this.prisma.bundleSet.findUnique({ where: { name }, select: { id: true } });
    if (!row) throw notFound(name);
    await requestEvaluation(this.prisma, row.id);
    await this.queue.evaluate(row.id);
    return this.get(name);
  }

  /** Deletes the BundleSet and its bundles; agents prune their objects unless preserveResourcesOnDeletion (keepResources). */
  async delete(name: string): Promise<void> {
    const row = await this.prisma.bundleSet.findUnique({ where: { name }, select: { id: true } });
    if (!row) throw notFound(name);
    // An evaluation running meanwhile may add bundles after the first pass (the row cannot go while they exist): again.
    for (let attempt = 1; ; attempt++) {
      await this.bundles.delete({ bundleSetId: row.id });
      try {
        await this.prisma.bundleSet.deleteMany({ where: { id: row.id } });
        return;
      } catch (error) {
        const foreignKey = error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2003';
        if (!foreignKey || attempt === 5) throw error;
      }
    }
  }

  /** Deployments of each BundleSet's bundles by state, counted by SQL. */
  private async deploymentCounts(ids: string[]): Promise<Map<string, { total: number; deployments: Record<string, number> }>> {
    const out = new Map<string, { total: number; deployments: Record<string, number> }>();
    if (ids.length === 0) return out;
    const totals = await this.prisma.bundle.groupBy({ by: ['bundleSetId'], where: { bundleSetId: { in: ids } }, _count: { _all: true } });
    for (const t of totals) out.set(t.bundleSetId!, { total: t._count._all, deployments: {} });
    const rows = await this.prisma.$queryRaw<{ id: string; state: string; n: bigint }[]>`
      SELECT b.bundle_set_id::text AS id, d.state::text AS state, count(*) AS n
      FROM deployments d JOIN bundles b ON b.id = d.bundle_id
      WHERE b.bundle_set_id = ANY(${ids}::uuid[]) GROUP BY 1, 2`;
    for (const r of rows) out.get(r.id)!.deployments[r.state] = Number(r.n);
    return out;
  }
}

/** Parses every template string — the template's and each generator entry's `template` patch — or throws a 400 naming the field. */
function assertTemplateSyntax(template: unknown, generators: ReadonlyArray<Readonly<Record<string, unknown>>>): void {
  try {
    checkTemplateSyntax(template);
    generators.forEach((g, i) => {
      if (g.template !== undefined) checkTemplateSyntax(g.template, `generators.${i}.template`);
    });
  } catch (error) {
    if (error instanceof BundleTemplateError) throw new DomainError('InvalidBundleSet', error.message, { field: `body.${error.field}` });
    throw error;
  }
}

function notFound(name: string): DomainError {
  return new DomainError('BundleSetNotFound', `BundleSet "${name}" not found`);
}
