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
    // One join, not Prisma's relation loading: a full batch is 500 clusters × their bundles (25,000 rows at 50).
    const rows = ids.length
      ? await this.prisma.$queryRaw<{ id: string; cluster_id: string; desired_revision: string; bundle_id: string; name: string; options: unknown; own_options: unknown; size: number }[]>`
          SELECT d.id::text, d.cluster_id::text, d.desired_revision, b.id::text AS bundle_id, b.name, b.options, d.options AS own_options,
                 coalesce(r.size, 0) AS size
          FROM deployments d JOIN bundles b ON b.id = d.bundle_id LEFT JOIN bundle_revisions r ON r.id = d.desired_revision
          WHERE d.cluster_id = ANY(${ids}::uuid[]) AND d.desired_revision IS NOT NULL`
      : [];
    const out = new Map<string, DesiredStateSnapshot>(ids.map((id) => [id, { generation: generations.get(id)!, assignments: [] }]));
    const options = new Map<string, DeploymentOptions>();
    for (const r of rows) {
      // A directory bundle's deployments carry their customisation's options; others share the bundle's.
      const cacheKey = r.own_options === null ? r.bundle_id : JSON.stringify(r.own_options);
      let o = options.get(cacheKey);
      if (!o) options.set(cacheKey, (o = toProtoOptions((r.own_options ?? r.options) as BundleOptions)));
      out.get(r.cluster_id)!.assignments.push({ deploymentId: r.id, bundleName: r.name, revision: r.desired_revision, options: o, contentSize: r.size });
    }
    return out;
  }

  /** The desired-state generation (`cluster_generations`) of each existing cluster among `clusterIds`. */
  async generations(clusterIds: string[]): Promise<Map<string, bigint>> {
    if (clusterIds.length === 0) return new Map();
    const rows = await this.prisma.$queryRaw<{ id: string; generation: bigint }[]>`
      SELECT cluster_id::text AS id, generation FROM cluster_generations WHERE cluster_id = ANY(${clusterIds}::uuid[])`;
    return new Map(rows.map((r) => [r.id, BigInt(r.generation)]));
  }

  /** Size of `revision` when it is the desired revision of one of the cluster's deployments (one query). */
  async assignedSize(clusterId: string, revision: string): Promise<number | undefined> {
    const rows = await this.prisma.$queryRaw<{ size: number }[]>`
      SELECT r.size FROM deployments d JOIN bundle_revisions r ON r.id = d.desired_revision
      WHERE d.cluster_id = ${clusterId}::uuid AND d.desired_revision = ${revision} LIMIT 1`;
    return rows[0]?.size;
  }

  /** assignedSize of several revisions in one query: the ones assigned to the cluster, by revision. */
  async assignedSizes(clusterId: string, revisions: string[]): Promise<Map<string, number>> {
    if (revisions.length === 0) return new Map();
    const rows = await this.prisma.$queryRaw<{ id: string; size: number }[]>`
      SELECT DISTINCT r.id, r.size FROM deployments d JOIN bundle_revisions r ON r.id = d.desired_revision
      WHERE d.cluster_id = ${clusterId}::uuid AND d.desired_revision = ANY(${revisions}::text[])`;
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
    forceNamespace: o.forceNamespace ?? false,
    createNamespace: o.createNamespace ?? false,
    namespaceLabels: o.namespaceLabels ?? {},
    namespaceAnnotations: o.namespaceAnnotations ?? {},
    deleteNamespace: o.deleteNamespace ?? false,
    ignoreConditions: (o.ignoreConditions ?? []).map((fields) => ({ fields })),
  };
}
