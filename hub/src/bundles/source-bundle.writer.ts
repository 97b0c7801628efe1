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

/**
 * Who a bundle belongs to: the bundle API (null), the GitRepo it was
 * discovered in, or the BundleSet that generated it (with the spec it was
 * generated from, kept for the BundleSet's diffs).
 */
export type BundleOwner = { gitRepoId: string; gitPath: string } | { bundleSetId: string; generatedSpec: Prisma.InputJsonValue } | null;

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
    const fleetYaml = { ...bundle.source.fleetYaml, ...bundle.overrides };
    // Owner settings are part of what renders, so part of the source's identity.
    const sourceId = bundle.overrides && Object.keys(bundle.overrides).length
      ? `sha256:${createHash('sha256').update(`${bundle.source.digest}\0${JSON.stringify(bundle.overrides)}`).digest('hex')}`
      : bundle.source.digest;
    const current = await this.prisma.bundle.findUnique({
      where: { name },
      select: { id: true, sourceId: true, targets: true, gitRepoId: true, gitPath: true, bundleSetId: true, generatedSpec: true },
    });
    assertOwner(name, current, bundle.owner);
    const owner = ownerColumns(bundle.owner);
    if (
      current &&
      current.sourceId === sourceId &&
      JSON.stringify(current.targets) === JSON.stringify(bundle.targets) &&
      current.gitPath === owner.gitPath &&
      JSON.stringify(current.generatedSpec) === JSON.stringify(bundle.owner && 'generatedSpec' in bundle.owner ? bundle.owner.generatedSpec : null)
    ) {
      return { id: current.id, created: false, changed: false };
    }
    const content = encodeSourceFiles(bundle.source.files);
    await this.prisma.bundleSource.upsert({
      where: { id: sourceId },
      create: { id: sourceId, content: new Uint8Array(content), size: content.length, fileCount: bundle.source.files.length, fleetYaml: fleetYaml as Prisma.InputJsonValue },
      // Restarts the GC grace period, so the sweep does not delete it before the bundle points at it.
      update: { createdAt: new Date() },
    });
    const { id, created } = await this.prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`flotilla:bundle:${name}`}, 0))`;
      const existing = await tx.bundle.findUnique({ where: { name }, select: { sourceId: true, gitRepoId: true, bundleSetId: true } });
      assertOwner(name, existing, bundle.owner);
      const data = {
        targets: bundle.targets as unknown as Prisma.InputJsonValue,
        options: {},
        revisionId: null,
        sourceId,
        ...owner,
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

function ownerColumns(owner: BundleOwner) {
  return {
    gitRepoId: owner && 'gitRepoId' in owner ? owner.gitRepoId : null,
    gitPath: owner && 'gitPath' in owner ? owner.gitPath : null,
    bundleSetId: owner && 'bundleSetId' in owner ? owner.bundleSetId : null,
    generatedSpec: owner && 'generatedSpec' in owner ? owner.generatedSpec : Prisma.DbNull,
  };
}

/** A GitRepo's or BundleSet's bundle is changed only by its owner; an API bundle only through the API. */
function assertOwner(name: string, existing: { gitRepoId: string | null; bundleSetId: string | null } | null, owner: BundleOwner): void {
  if (!existing) return;
  const mine = owner && 'gitRepoId' in owner ? existing.gitRepoId === owner.gitRepoId : owner && 'bundleSetId' in owner ? existing.bundleSetId === owner.bundleSetId : false;
  if (mine) return;
  if (existing.gitRepoId) {
    throw new DomainError('BundleOwnedByGitRepo', `bundle "${name}" comes from a GitRepo: change it in Git (or delete the GitRepo)`, { field: 'name' });
  }
  if (existing.bundleSetId) {
    throw new DomainError('BundleOwnedByBundleSet', `bundle "${name}" is generated by a BundleSet: change the BundleSet (or delete it)`, { field: 'name' });
  }
  if (owner) {
    throw new DomainError('BundleOwnedByGitRepo', `bundle "${name}" already exists and was not made by this ${'gitRepoId' in owner ? 'GitRepo' : 'BundleSet'}: rename one of them`, { field: 'name' });
  }
}
