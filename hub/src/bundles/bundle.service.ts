import { Inject, Injectable } from '@nestjs/common';
import type { ComparePatchInput } from '@flotilla/core';
import { Prisma } from '../generated/prisma/client.js';
import { ClusterEventBus } from '../platform/events/cluster-events.bus.js';
import { FanoutQueue } from '../delivery/fanout.queue.js';
import { PrismaService } from '../database/prisma.service.js';
import { DomainError } from '../platform/errors/domain-error.js';
import { assertValidTargets, type BundleTarget } from '../target/bundle-target.js';
import { bundleContent } from './bundle-content.js';
import { parseManifests, validateObjects } from './bundle-input.js';

export interface BundleOptions {
  defaultNamespace?: string;
  keepResources?: boolean;
  correctDrift?: boolean;
  allowEmpty?: boolean;
  comparePatches?: ComparePatchInput[];
}

export interface PutBundle {
  manifests?: string;
  resources?: unknown[];
  targets: BundleTarget[];
  options?: BundleOptions;
}

export interface BundleView {
  id: string;
  name: string;
  revision: string;
  resourceCount: number;
  size: number;
  targets: BundleTarget[];
  options: BundleOptions;
  createdAt: string;
  updatedAt: string;
}

const WITH_REVISION = { revision: { select: { size: true, resourceCount: true } } } as const;

@Injectable()
export class BundleService {
  constructor(
    @Inject(PrismaService) private readonly prisma: PrismaService,
    @Inject(FanoutQueue) private readonly fanout: FanoutQueue,
    @Inject(ClusterEventBus) private readonly events: ClusterEventBus,
  ) {}

  /**
   * Creates or replaces a bundle. Validation happens before anything is
   * written, so a bad body changes nothing. Content is stored once per
   * revision; deployments follow asynchronously through the fan-out queue.
   */
  async put(name: string, input: PutBundle): Promise<{ created: boolean; bundle: BundleView }> {
    const objects = input.manifests !== undefined ? parseManifests(input.manifests) : validateObjects(input.resources ?? []);
    assertValidTargets(input.targets);
    await this.assertGroupsExist(input.targets);
    const content = bundleContent(objects);
    const options = input.options ?? {};
    // Content-addressed and idempotent, so written outside the transaction: a
    // revision nobody references yet is harmless, and the transaction stays short.
    await this.prisma.bundleRevision.createMany({
      data: [{ id: content.revision, content: new Uint8Array(content.bytes), size: content.bytes.length, resourceCount: content.resourceCount }],
      skipDuplicates: true,
    });
    const { created, bundle, optionsChanged } = await this.prisma.$transaction(async (tx) => {
      const existing = await tx.bundle.findUnique({ where: { name }, select: { options: true } });
      const data = { targets: input.targets as unknown as Prisma.InputJsonValue, options: options as Prisma.InputJsonValue, revisionId: content.revision };
      const bundle = await tx.bundle.upsert({ where: { name }, create: { name, ...data }, update: data, include: WITH_REVISION });
      return { created: !existing, bundle, optionsChanged: !!existing && JSON.stringify(existing.options) !== JSON.stringify(options) };
    });
    await this.fanout.reconcileBundle(bundle.id);
    if (optionsChanged) await this.notifyDeployedClusters(bundle.id);
    return { created, bundle: view(bundle) };
  }

  async list(): Promise<BundleView[]> {
    return (await this.prisma.bundle.findMany({ include: WITH_REVISION, orderBy: { name: 'asc' } })).map(view);
  }

  async get(name: string): Promise<BundleView> {
    const bundle = await this.prisma.bundle.findUnique({ where: { name }, include: WITH_REVISION });
    if (!bundle) throw notFound(name);
    return view(bundle);
  }

  /** Deletes the bundle and its deployments; agents then prune (unless keepResources). */
  async delete(name: string): Promise<void> {
    const clusters = await this.prisma.deployment.findMany({ where: { bundle: { name } }, select: { clusterId: true } });
    const result = await this.prisma.bundle.deleteMany({ where: { name } });
    if (result.count === 0) throw notFound(name);
    await Promise.all(clusters.map((c) => this.events.publish({ type: 'desired-state-changed', clusterId: c.clusterId })));
  }

  private async notifyDeployedClusters(bundleId: string): Promise<void> {
    const deployments = await this.prisma.deployment.findMany({ where: { bundleId }, select: { clusterId: true } });
    await Promise.all(deployments.map((d) => this.events.publish({ type: 'desired-state-changed', clusterId: d.clusterId })));
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

function notFound(name: string): DomainError {
  return new DomainError('BundleNotFound', `bundle "${name}" not found`);
}

function view(b: {
  id: string;
  name: string;
  revisionId: string;
  targets: unknown;
  options: unknown;
  createdAt: Date;
  updatedAt: Date;
  revision: { size: number; resourceCount: number };
}): BundleView {
  return {
    id: b.id,
    name: b.name,
    revision: b.revisionId,
    resourceCount: b.revision.resourceCount,
    size: b.revision.size,
    targets: b.targets as BundleTarget[],
    options: b.options as BundleOptions,
    createdAt: b.createdAt.toISOString(),
    updatedAt: b.updatedAt.toISOString(),
  };
}
