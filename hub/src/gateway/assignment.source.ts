import { Inject, Injectable } from '@nestjs/common';
import { toComparePatch } from '@flotilla/core';
import type { DeploymentOptions } from '@flotilla/proto';
import type { BundleOptions } from '../bundles/bundle.service.js';
import { PrismaService } from '../database/prisma.service.js';
import type { DesiredStateSnapshot } from './desired-state.js';

/** Reads a cluster's deployment assignments from PostgreSQL. */
@Injectable()
export class AssignmentSource {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  /**
   * Desired states of many clusters, with three queries in all. Each
   * cluster's generation is read before its assignments: a change committing
   * between the reads makes the assignments newer than the generation, never
   * older, and the next re-check or event sends the newer generation.
   * Clusters that do not exist are left out.
   */
  async snapshots(clusterIds: string[]): Promise<Map<string, DesiredStateSnapshot>> {
    const generations = await this.generations(clusterIds);
    const ids = [...generations.keys()];
    const rows = ids.length
      ? await this.prisma.deployment.findMany({
          where: { clusterId: { in: ids } },
          select: { id: true, clusterId: true, desiredRevision: true, bundle: { select: { name: true, options: true } } },
        })
      : [];
    const sizes = await this.revisionSizes(rows.map((r) => r.desiredRevision));
    const out = new Map<string, DesiredStateSnapshot>(ids.map((id) => [id, { generation: generations.get(id)!, assignments: [] }]));
    for (const r of rows) {
      out.get(r.clusterId)!.assignments.push({
        deploymentId: r.id,
        bundleName: r.bundle.name,
        revision: r.desiredRevision,
        options: toProtoOptions(r.bundle.options as BundleOptions),
        contentSize: sizes.get(r.desiredRevision) ?? 0,
      });
    }
    return out;
  }

  /** `clusters.desired_generation` of each existing cluster among `clusterIds`. */
  async generations(clusterIds: string[]): Promise<Map<string, bigint>> {
    if (clusterIds.length === 0) return new Map();
    const rows = await this.prisma.$queryRaw<{ id: string; desired_generation: bigint }[]>`
      SELECT id::text, desired_generation FROM clusters WHERE id = ANY(${clusterIds}::uuid[])`;
    return new Map(rows.map((r) => [r.id, BigInt(r.desired_generation)]));
  }

  /** Size of `revision` when it is the desired revision of one of the cluster's deployments (one query). */
  async assignedSize(clusterId: string, revision: string): Promise<number | undefined> {
    const rows = await this.prisma.$queryRaw<{ size: number }[]>`
      SELECT r.size FROM deployments d JOIN bundle_revisions r ON r.id = d.desired_revision
      WHERE d.cluster_id = ${clusterId}::uuid AND d.desired_revision = ${revision} LIMIT 1`;
    return rows[0]?.size;
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
