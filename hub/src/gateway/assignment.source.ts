import { Inject, Injectable } from '@nestjs/common';
import type { DeploymentAssignment, DeploymentOptions } from '@flotilla/proto';
import { toComparePatch } from '@flotilla/core';
import type { BundleOptions } from '../bundles/bundle.service.js';
import { PrismaService } from '../database/prisma.service.js';

/** Reads a cluster's deployment assignments from PostgreSQL. */
@Injectable()
export class AssignmentSource {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  async forCluster(clusterId: string): Promise<DeploymentAssignment[]> {
    const rows = await this.prisma.deployment.findMany({
      where: { clusterId },
      select: {
        id: true,
        desiredRevision: true,
        bundle: { select: { name: true, options: true } },
      },
    });
    const sizes = await this.revisionSizes(rows.map((r) => r.desiredRevision));
    return rows.map((r) => ({
      deploymentId: r.id,
      bundleName: r.bundle.name,
      revision: r.desiredRevision,
      options: toProtoOptions(r.bundle.options as BundleOptions),
      contentSize: sizes.get(r.desiredRevision) ?? 0,
    }));
  }

  /** True when `revision` is the desired revision of one of the cluster's deployments. */
  async isAssigned(clusterId: string, revision: string): Promise<boolean> {
    return (await this.prisma.deployment.count({ where: { clusterId, desiredRevision: revision } })) > 0;
  }

  private async revisionSizes(ids: string[]): Promise<Map<string, number>> {
    if (ids.length === 0) return new Map();
    const rows = await this.prisma.bundleRevision.findMany({ where: { id: { in: [...new Set(ids)] } }, select: { id: true, size: true } });
    return new Map(rows.map((r) => [r.id, r.size]));
  }
}

function toProtoOptions(o: BundleOptions): DeploymentOptions {
  return {
    defaultNamespace: o.defaultNamespace ?? '',
    keepResources: o.keepResources ?? false,
    correctDrift: o.correctDrift ?? false,
    allowEmpty: o.allowEmpty ?? false,
    comparePatches: (o.comparePatches ?? []).map(toComparePatch),
  };
}
