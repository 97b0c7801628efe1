import { Inject, Injectable } from '@nestjs/common';
import type { ComparePatchInput } from '@flotilla/core';
import { isRenderError, loadBundleDir, memoryFs, type BundleDependency, type BundleSource, type RolloutStrategy } from '@flotilla/render';
import { Prisma } from '../generated/prisma/client.js';
import { ClusterEventBus } from '../platform/events/cluster-events.bus.js';
import { raiseGenerationsOfBundle } from '../delivery/desired-generation.js';
import { markFanout } from '../delivery/fanout-marker.js';
import type { DeliveryWindow } from '../delivery/rollout/plan/delivery-window.js';
import { FanoutQueue } from '../delivery/fanout.queue.js';
import { PrismaService } from '../database/prisma.service.js';
import { decodeCursor, toPage, type Page, type PageRequest } from '../platform/http/pagination.js';
import { DomainError } from '../platform/errors/domain-error.js';
import { assertValidTargets, type BundleTarget } from '../target/bundle-target.js';
import { readArchive } from './bundle-archive.js';
import { bundleContent } from './bundle-content.js';
import { validateObjects } from './bundle-input.js';
import { ManifestParserPool } from './manifest-parser.pool.js';
import { SourceBundleWriter } from './source-bundle.writer.js';

export interface BundleOptions {
  defaultNamespace?: string;
  keepResources?: boolean;
  correctDrift?: boolean;
  allowEmpty?: boolean;
  comparePatches?: ComparePatchInput[];
  /** Set only by renders of directory bundles (agentOptions), from fleet.yaml; not accepted by the bundle API. */
  forceNamespace?: boolean;
  createNamespace?: boolean;
  namespaceLabels?: Record<string, string>;
  namespaceAnnotations?: Record<string, string>;
  deleteNamespace?: boolean;
  /** Set only by renders (fleet.yaml ignore.conditions): status conditions left out of health. */
  ignoreConditions?: Record<string, string>[];
}

export interface PutBundle {
  manifests?: string;
  resources?: unknown[];
  /** A bundle directory to render per cluster: base64 of a gzipped tar. */
  directory?: { archive: string };
  targets: BundleTarget[];
  options?: BundleOptions;
  rolloutStrategy?: RolloutStrategy;
  dependsOn?: BundleDependency[];
  schedule?: DeliveryWindow[];
  labels?: Record<string, string>;
}

export interface BundleView {
  id: string;
  name: string;
  revision: string | null;
  resourceCount: number | null;
  size: number | null;
  source: { digest: string; files: number; size: number } | null;
  render: { state: 'Rendering' | 'Rendered' | 'Failed'; reason: string; message: string } | null;
  /** The GitRepo this bundle was discovered in (only its syncs change it), and its directory there. */
  gitRepo: { name: string; path: string } | null;
  targets: BundleTarget[];
  options: BundleOptions;
  /** As given to the API; a directory bundle's come from its fleet.yaml. */
  rolloutStrategy: RolloutStrategy | null;
  dependsOn: BundleDependency[] | null;
  schedule: DeliveryWindow[] | null;
  labels: Record<string, string>;
  paused: boolean;
  /** After a rollback: the history entry every cluster runs (null once it was pruned), and until when. */
  pinned: { seq: number | null; until: 'unpinned' | 'newContent' } | null;
  createdAt: string;
  updatedAt: string;
}

const WITH_REVISION = {
  revision: { select: { size: true, resourceCount: true } },
  source: { select: { size: true, fileCount: true } },
  gitRepo: { select: { name: true } },
  pinnedRollout: { select: { seq: true } },
} as const;

@Injectable()
export class BundleService {
  constructor(
    @Inject(PrismaService) private readonly prisma: PrismaService,
    @Inject(FanoutQueue) private readonly fanout: FanoutQueue,
    @Inject(ClusterEventBus) private readonly events: ClusterEventBus,
    @Inject(ManifestParserPool) private readonly manifests: ManifestParserPool,
    @Inject(SourceBundleWriter) private readonly sources: SourceBundleWriter,
  ) {}

  /**
   * Creates or replaces a bundle. Validation happens before anything is
   * written, so a bad body changes nothing. Content is stored once per
   * revision; deployments follow asynchronously through the fan-out queue.
   */
  async put(name: string, input: PutBundle): Promise<{ created: boolean; bundle: BundleView }> {
    if (input.directory) return this.putDirectory(name, input.directory.archive, input.targets);
    const objects = input.manifests !== undefined ? await this.manifests.parse(input.manifests) : validateObjects(input.resources ?? []);
    assertValidTargets(input.targets);
    await this.assertGroupsExist(input.targets);
    const content = bundleContent(objects);
    const options = input.options ?? {};
    // Content-addressed and idempotent, so written outside the transaction: a
    // revision nobody references yet is harmless, and the transaction stays short.
    // Reusing a revision clears its GC mark, so the sweep does not delete it
    // before the bundle points at it (see docs/architecture.md, revision GC).
    await this.prisma.bundleRevision.upsert({
      where: { id: content.revision },
      create: { id: content.revision, content: new Uint8Array(content.bytes), size: content.bytes.length, resourceCount: content.resourceCount },
      update: { unreferencedSince: null },
    });
    const { created, bundle, notify } = await this.prisma.$transaction(async (tx) => {
      // PUTs of one name run one after another, as if sequential: without this, concurrent
      // first PUTs all saw no bundle and raced to insert it (unique violations, two "created").
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`flotilla:bundle:${name}`}, 0))`;
      const existing = await tx.bundle.findUnique({ where: { name }, select: { options: true, gitRepoId: true, bundleSetId: true } });
      if (existing) assertApiOwned(name, existing);
      const data = {
        targets: input.targets as unknown as Prisma.InputJsonValue,
        options: options as Prisma.InputJsonValue,
        revisionId: content.revision,
        sourceId: null,
        rolloutStrategy: json(input.rolloutStrategy),
        dependsOn: json(input.dependsOn),
        schedule: json(input.schedule),
        labels: (input.labels ?? {}) as Prisma.InputJsonValue,
        renderState: null,
        renderReason: '',
        renderMessage: '',
      };
      const bundle = await tx.bundle.upsert({ where: { name }, create: { name, ...data }, update: data, include: WITH_REVISION });
      // Options travel with each assignment: a change is a new desired state for every cluster that has the bundle.
      const optionsChanged = !!existing && JSON.stringify(existing.options) !== JSON.stringify(options);
      // Committed with the change: the repair sweep runs the fan-out if the job below is lost (Redis down).
      await markFanout(tx, 'bundles', [bundle.id]);
      return { created: !existing, bundle, notify: optionsChanged ? await raiseGenerationsOfBundle(tx, bundle.id) : [] };
    });
    // Neither fails nor waits long without Redis: the outcome is what was committed.
    await this.fanout.reconcileBundle(bundle.id);
    await this.publishChanged(notify);
    return { created, bundle: view(bundle) };
  }

  /**
   * Creates or replaces a bundle rendered per cluster from a directory. The
   * archive is read and its fleet.yaml parsed before anything is written (a
   * bad archive or fleet.yaml changes nothing); rendering happens on render
   * workers, and until a cluster's render is done it keeps what it runs.
   */
  private async putDirectory(name: string, archive: string, targets: BundleTarget[]): Promise<{ created: boolean; bundle: BundleView }> {
    assertValidTargets(targets);
    await this.assertGroupsExist(targets);
    const source = await readSource(name, archive);
    const { created } = await this.sources.put(name, { source, targets, owner: null });
    return { created, bundle: await this.get(name) };
  }

  /** One page of bundles by name (unique, so the whole sort key), optionally by name prefix. */
  async list(filter: { namePrefix?: string | undefined }, page: PageRequest): Promise<Page<BundleView>> {
    const after = decodeCursor(page.cursor, 1)?.[0];
    const rows = await this.prisma.bundle.findMany({
      where: {
        ...(after !== undefined ? { name: { gt: after } } : {}),
        ...(filter.namePrefix ? { AND: [{ name: { startsWith: filter.namePrefix } }] } : {}),
      },
      include: WITH_REVISION,
      orderBy: { name: 'asc' },
      take: page.limit + 1,
    });
    return toPage(rows, page.limit, (r) => [r.name], view);
  }

  async get(name: string): Promise<BundleView> {
    const bundle = await this.prisma.bundle.findUnique({ where: { name }, include: WITH_REVISION });
    if (!bundle) throw notFound(name);
    return view(bundle);
  }

  /** Deletes the bundle and its deployments; agents then prune (unless keepResources). */
  async delete(name: string): Promise<void> {
    const bundle = await this.prisma.bundle.findUnique({ where: { name }, select: { gitRepoId: true, bundleSetId: true } });
    if (!bundle) throw notFound(name);
    assertApiOwned(name, bundle);
    if ((await this.sources.delete({ name, gitRepoId: null, bundleSetId: null })) === 0) throw notFound(name);
  }

  /** Wakes the streams of these clusters; a lost message is repaired by the gateway's generation re-check. */
  private async publishChanged(clusterIds: string[]): Promise<void> {
    await this.events.desiredStateChanged(clusterIds);
  }

  private async assertGroupsExist(targets: BundleTarget[]): Promise<void> {
    const names = [...new Set(targets.flatMap((t) => (t.clusterGroup ? [t.clusterGroup] : [])))];
    if (names.length === 0) return;
    const found = new Set((await this.prisma.clusterGroup.findMany({ where: { name: { in: names } }, select: { name: true } })).map((g) => g.name));
    const index = targets.findIndex((t) => t.clusterGroup && !found.has(t.clusterGroup));
    if (index >= 0) {
      throw new DomainError('InvalidTarget', `cluster group "${targets[index]!.clusterGroup}" does not exist`, { field: `targets[${index}].clusterGroup` });
    }
  }
}

/** Bundles from a GitRepo or a BundleSet change only through their owner. */
function assertApiOwned(name: string, bundle: { gitRepoId: string | null; bundleSetId: string | null }): void {
  if (bundle.gitRepoId) throw new DomainError('BundleOwnedByGitRepo', `bundle "${name}" comes from a GitRepo: change it in Git (or delete the GitRepo)`, { field: 'name' });
  if (bundle.bundleSetId) {
    throw new DomainError('BundleOwnedByBundleSet', `bundle "${name}" is generated by a BundleSet: change the BundleSet (or delete it)`, { field: 'name' });
  }
}

function notFound(name: string): DomainError {
  return new DomainError('BundleNotFound', `bundle "${name}" not found`);
}

/** Reads an uploaded bundle directory as the CLI reads a checkout (same discovery code, from memory); bad input → 400. */
async function readSource(name: string, archive: string): Promise<BundleSource> {
  const files = await readArchive(Buffer.from(archive, 'base64'));
  try {
    return await loadBundleDir('/', { name, fs: memoryFs(files) });
  } catch (error) {
    if (isRenderError(error)) throw new DomainError('InvalidBundleSource', error.message, { field: 'directory.archive', cause: error });
    throw error;
  }
}

function view(b: {
  id: string;
  name: string;
  revisionId: string | null;
  sourceId: string | null;
  renderState: 'Rendering' | 'Rendered' | 'Failed' | null;
  renderReason: string;
  renderMessage: string;
  targets: unknown;
  options: unknown;
  createdAt: Date;
  updatedAt: Date;
  revision: { size: number; resourceCount: number } | null;
  source: { size: number; fileCount: number } | null;
  gitRepo: { name: string } | null;
  gitPath: string | null;
  rolloutStrategy: unknown;
  dependsOn: unknown;
  schedule: unknown;
  labels: unknown;
  paused: boolean;
  pinnedRolloutId: string | null;
  pinUntil: string;
  pinnedRollout: { seq: number } | null;
}): BundleView {
  return {
    id: b.id,
    name: b.name,
    revision: b.revisionId,
    resourceCount: b.revision?.resourceCount ?? null,
    size: b.revision?.size ?? null,
    source: b.sourceId && b.source ? { digest: b.sourceId, files: b.source.fileCount, size: b.source.size } : null,
    render: b.renderState ? { state: b.renderState, reason: b.renderReason, message: b.renderMessage } : null,
    gitRepo: b.gitRepo ? { name: b.gitRepo.name, path: b.gitPath ?? '.' } : null,
    targets: b.targets as BundleTarget[],
    options: b.options as BundleOptions,
    rolloutStrategy: (b.rolloutStrategy as RolloutStrategy | null) ?? null,
    dependsOn: (b.dependsOn as BundleDependency[] | null) ?? null,
    schedule: (b.schedule as DeliveryWindow[] | null) ?? null,
    labels: b.labels as Record<string, string>,
    paused: b.paused,
    pinned: b.pinnedRolloutId ? { seq: b.pinnedRollout?.seq ?? null, until: b.pinUntil === 'unpinned' ? 'unpinned' : 'newContent' } : null,
    createdAt: b.createdAt.toISOString(),
    updatedAt: b.updatedAt.toISOString(),
  };
}

/** An optional JSON column: absent → SQL NULL. */
function json(value: unknown): Prisma.InputJsonValue | typeof Prisma.DbNull {
  return value === undefined ? Prisma.DbNull : (value as Prisma.InputJsonValue);
}
