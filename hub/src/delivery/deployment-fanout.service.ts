import { Inject, Injectable } from '@nestjs/common';
import { ClusterEventBus } from '../platform/events/cluster-events.bus.js';
import { PrismaService } from '../database/prisma.service.js';
import { targetedClusters, type BundleTarget, type GroupSelectors, type TargetableCluster } from '../target/bundle-target.js';
import type { LabelSelector, Labels } from '@flotilla/core';
import { retryOnConflict } from './deadlock-retry.js';
import { raiseGenerations } from './desired-generation.js';
import { planDeployments } from './deployment-plan.js';
import { clearFanoutMark } from './fanout-marker.js';

/**
 * Makes the deployments table match targets: one deployment per (bundle,
 * targeted cluster) at the bundle's current revision, then tells the
 * affected clusters' streams. Reads everything it needs from PostgreSQL.
 */
@Injectable()
export class DeploymentFanout {
  constructor(
    @Inject(PrismaService) private readonly prisma: PrismaService,
    @Inject(ClusterEventBus) private readonly events: ClusterEventBus,
  ) {}

  async reconcileBundle(bundleId: string): Promise<string[]> {
    const affected = await retryOnConflict(() => this.prisma.$transaction(async (tx) => {
      // Serialises fan-outs of the same bundle across workers and replicas.
      const locked = await tx.$queryRaw<{ revision_id: string; targets: BundleTarget[]; marker: string | null }[]>`
        SELECT revision_id, targets, fanout_requested_at::text AS marker FROM bundles WHERE id = ${bundleId}::uuid FOR UPDATE`;
      const bundle = locked[0];
      if (!bundle) return [];
      const [clusters, groups, existing] = await Promise.all([
        this.clusters(tx),
        this.groups(tx),
        tx.deployment.findMany({ where: { bundleId }, select: { id: true, clusterId: true, desiredRevision: true } }),
      ]);
      const targeted = targetedClusters(bundle.targets, clusters, groups).map((c) => c.id);
      const plan = planDeployments(bundle.revision_id, targeted, existing);
      if (plan.create.length) {
        await tx.deployment.createMany({
          data: plan.create.map((clusterId) => ({ bundleId, clusterId, desiredRevision: bundle.revision_id })),
          skipDuplicates: true,
        });
      }
      if (plan.update.length) {
        await tx.deployment.updateMany({
          where: { id: { in: plan.update } },
          // The stored report no longer describes this deployment: the next report is written whatever it says.
          data: { desiredRevision: bundle.revision_id, state: 'WaitApplied', reason: '', message: '', reportHash: '' },
        });
      }
      if (plan.remove.length) await tx.deployment.deleteMany({ where: { id: { in: plan.remove } } });
      await raiseGenerations(tx, plan.affectedClusters);
      await clearFanoutMark(tx, 'bundles', bundleId, bundle.marker);
      return plan.affectedClusters;
    }));
    await this.notify(affected);
    return affected;
  }

  /** Recomputes one cluster's deployments over every bundle (labels changed, cluster joined). */
  async reconcileCluster(clusterId: string): Promise<boolean> {
    const changed = await retryOnConflict(() => this.prisma.$transaction(async (tx) => {
      const cluster = (await tx.$queryRaw<{ name: string; labels: Labels; marker: string | null }[]>`
        SELECT name, labels, fanout_requested_at::text AS marker FROM clusters WHERE id = ${clusterId}::uuid`)[0];
      if (!cluster) return false;
      const [groups, bundles, existing] = await Promise.all([
        this.groups(tx),
        tx.bundle.findMany({ select: { id: true, targets: true, revisionId: true } }),
        tx.deployment.findMany({ where: { clusterId }, select: { id: true, bundleId: true, desiredRevision: true } }),
      ]);
      const target: TargetableCluster = { id: clusterId, name: cluster.name, labels: cluster.labels };
      const wanted = bundles.filter((b) => targetedClusters(b.targets as BundleTarget[], [target], groups).length > 0);
      const byBundle = new Map(existing.map((d) => [d.bundleId, d]));
      const wantedIds = new Set(wanted.map((b) => b.id));
      const create = wanted.filter((b) => !byBundle.has(b.id));
      const stale = existing.filter((d) => !wantedIds.has(d.bundleId));
      if (create.length) {
        await tx.deployment.createMany({
          data: create.map((b) => ({ bundleId: b.id, clusterId, desiredRevision: b.revisionId })),
          skipDuplicates: true,
        });
      }
      if (stale.length) await tx.deployment.deleteMany({ where: { id: { in: stale.map((d) => d.id) } } });
      const changed = create.length > 0 || stale.length > 0;
      if (changed) await raiseGenerations(tx, [clusterId]);
      await clearFanoutMark(tx, 'clusters', clusterId, cluster.marker);
      return changed;
    }));
    if (changed) await this.notify([clusterId]);
    return changed;
  }

  async reconcileAll(): Promise<void> {
    const bundles = await this.prisma.bundle.findMany({ select: { id: true } });
    for (const b of bundles) await this.reconcileBundle(b.id);
  }

  /** Fire-and-forget (never throws): a lost message is repaired by the gateway's generation re-check. */
  private async notify(clusterIds: string[]): Promise<void> {
    await this.events.desiredStateChanged(clusterIds);
  }

  private async clusters(tx: Tx): Promise<TargetableCluster[]> {
    const rows = await tx.cluster.findMany({ select: { id: true, name: true, labels: true } });
    return rows.map((r) => ({ id: r.id, name: r.name, labels: r.labels as Labels }));
  }

  private async groups(tx: Tx): Promise<GroupSelectors> {
    const rows = await tx.clusterGroup.findMany({ select: { name: true, selector: true } });
    return new Map(rows.map((g) => [g.name, g.selector as LabelSelector]));
  }
}

type Tx = Parameters<Parameters<PrismaService['$transaction']>[0]>[0];
