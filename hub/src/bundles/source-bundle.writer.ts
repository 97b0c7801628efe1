import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { BundleSource, FleetYaml } from '@flotilla/render';
import { Prisma } from '../generated/prisma/client.js';
import { PrismaService } from '../database/prisma.service.js';
import { raiseGenerations } from '../delivery/desired-generation.js';
import { markFanout } from '../delivery/fanout-marker.js';
import { FanoutQueue } from '../delivery/fanout.queue.js';
import { DomainError } from '../platform/errors/domain-error.js';
import { ClusterEventBus } from '../platform/events/cluster-events.bus.js';
import type { BundleTarget } from '../target/bundle-target.js';
import { encodeSourceFiles } from './bundle-source.codec.js';

/** Who a bundle belongs to: the bundle API (null), or the GitRepo it was discovered in. (BundleSets write theirs in bulk: bundlesets/evaluation.) */
export type BundleOwner = { gitRepoId: string; gitPath: string } | null;

/** A bundle directory to store: what discovery read, plus settings its owner imposes on its fleet.yaml. */
export interface SourceBundle {
  source: Pick<BundleSource, 'digest' | 'files' | 'fleetYaml'>;
  /** Fleet's GitRepo-level options (keepResources, correctDrift, targetNamespace): they override fleet.yaml's. */
  overrides?: Partial<FleetYaml>;
  targets: BundleTarget[];
  owner: BundleOwner;
}

/**
 * Writes bundles rendered per cluster from a directory — uploaded through the
 * bundle API or discovered in a GitRepo commit — and deletes them. The stored
 * source is content-addressed (the same files and settings are stored once);
 * a bundle whose source and targets did not change is not touched at all, so
 * a commit re-renders and re-delivers only the bundles it changed.
 */
@Injectable()
export class SourceBundleWriter {
  constructor(
    @Inject(PrismaService) private readonly prisma: PrismaService,
    @Inject(FanoutQueue) private readonly fanout: FanoutQueue,
    @Inject(ClusterEventBus) private readonly events: ClusterEventBus,
  ) {}

  /** Creates or replaces the bundle; `changed` is false when it already had this source and these targets. */
  async put(name: string, bundle: SourceBundle): Promise<{ id: string; created: boolean; changed: boolean }> {
    const sourceId = sourceIdOf(bundle.source.digest, bundle.overrides);
    const current = await this.prisma.bundle.findUnique({
      where: { name },
      select: { id: true, sourceId: true, targets: true, gitRepoId: true, gitPath: true, bundleSetId: true },
    });
    assertOwner(name, current, bundle.owner);
    const ownerPath = bundle.owner?.gitPath ?? null;
    if (current && current.sourceId === sourceId && JSON.stringify(current.targets) === JSON.stringify(bundle.targets) && current.gitPath === ownerPath) {
      return { id: current.id, created: false, changed: false };
    }
    await this.storeSource(sourceId, bundle.source, bundle.overrides);
    const { id, created } = await this.prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`flotilla:bundle:${name}`}, 0))`;
      const existing = await tx.bundle.findUnique({ where: { name }, select: { sourceId: true, gitRepoId: true, bundleSetId: true } });
      assertOwner(name, existing, bundle.owner);
      const data = {
        targets: bundle.targets as unknown as Prisma.InputJsonValue,
        options: {},
        revisionId: null,
        sourceId,
        gitRepoId: bundle.owner?.gitRepoId ?? null,
        gitPath: ownerPath,
        // Unchanged files keep their render state; new files render again.
        ...(existing?.sourceId === sourceId ? {} : { renderState: 'Rendering' as const, renderReason: '', renderMessage: '' }),
      };
      const row = await tx.bundle.upsert({ where: { name }, create: { name, ...data, renderState: 'Rendering' }, update: data, select: { id: true } });
      await markFanout(tx, 'bundles', [row.id]);
      return { id: row.id, created: !existing };
    });
    await this.fanout.reconcileBundle(id);
    return { id, created, changed: true };
  }

  /** Stores a bundle directory (with its owner's overrides) under `sourceId`, once: content-addressed. */
  async storeSource(sourceId: string, source: SourceBundle['source'], overrides?: Partial<FleetYaml>): Promise<void> {
    const fleetYaml = { ...source.fleetYaml, ...overrides };
    const content = encodeSourceFiles(source.files);
    await this.prisma.bundleSource.upsert({
      where: { id: sourceId },
      create: { id: sourceId, content: new Uint8Array(content), size: content.length, fileCount: source.files.length, fleetYaml: fleetYaml as Prisma.InputJsonValue },
      // Restarts the GC grace period, so the sweep does not delete it before the bundle points at it.
      update: { createdAt: new Date() },
    });
  }

  /** Deletes bundles and their deployments; agents then prune their objects (unless keepResources). */
  async delete(where: Prisma.BundleWhereInput): Promise<number> {
    const { count, clusters } = await this.prisma.$transaction(async (tx) => {
      const rows = await tx.deployment.findMany({ where: { bundle: where }, select: { clusterId: true } });
      const { count } = await tx.bundle.deleteMany({ where });
      const clusters = rows.map((r) => r.clusterId);
      await raiseGenerations(tx, clusters);
      return { count, clusters };
    });
    await this.events.desiredStateChanged(clusters);
    return count;
  }
}

/** The stored source's id: the directory's digest, and the owner's settings when there are any (they are part of what renders). */
export function sourceIdOf(digest: string, overrides?: Partial<FleetYaml>): string {
  return overrides && Object.keys(overrides).length ? `sha256:${createHash('sha256').update(`${digest}\0${JSON.stringify(overrides)}`).digest('hex')}` : digest;
}

/** A GitRepo's or BundleSet's bundle is changed only by its owner; an API bundle only through the API. */
function assertOwner(name: string, existing: { gitRepoId: string | null; bundleSetId: string | null } | null, owner: BundleOwner): void {
  if (!existing) return;
  if (owner && existing.gitRepoId === owner.gitRepoId) return;
  if (existing.gitRepoId) {
    throw new DomainError('BundleOwnedByGitRepo', `bundle "${name}" comes from a GitRepo: change it in Git (or delete the GitRepo)`, { field: 'name' });
  }
  if (existing.bundleSetId) {
    throw new DomainError('BundleOwnedByBundleSet', `bundle "${name}" is generated by a BundleSet: change the BundleSet (or delete it)`, { field: 'name' });
  }
  if (owner) {
    throw new DomainError('BundleOwnedByGitRepo', `bundle "${name}" already exists and was not made from this GitRepo: rename one of them`, { field: 'name' });
  }
}
