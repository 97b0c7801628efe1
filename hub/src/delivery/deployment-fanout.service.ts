import { Inject, Injectable } from '@nestjs/common';
import type { Labels } from '@flotilla/core';
import type { FleetYaml } from '@flotilla/render';
import { advanceRenderedCommit } from '../database/rendered-commit.js';
import { Prisma } from '../generated/prisma/client.js';
import { ClusterEventBus } from '../platform/events/cluster-events.bus.js';
import { PrismaService } from '../database/prisma.service.js';
import { targetedClusters, type BundleTarget, type TargetableCluster } from '../target/bundle-target.js';
import { retryOnConflict } from './deadlock-retry.js';
import { raiseGenerations } from './desired-generation.js';
import { planDeployments, uniformDesired, type DeploymentPlan } from './deployment-plan.js';
import { clearFanoutMark } from './fanout-marker.js';
import { readGroupSelectors, readTargetableClusters } from './fanout.reads.js';
import { RenderQueue } from './render.queue.js';
import { renderedDesired, type StoredRender } from './rendered-desired.js';

interface LockedBundle {
  name: string;
  revision_id: string | null;
  source_id: string | null;
  targets: BundleTarget[];
  marker: string | null;
}

/**
 * Makes the deployments table match targets: one deployment per (bundle,
 * targeted cluster) at the revision that cluster should run — the bundle's
 * revision for ready objects, its customisation's render for a directory
 * bundle — then tells the affected clusters' streams. Reads everything it
 * needs from PostgreSQL.
 */
@Injectable()
export class DeploymentFanout {
  constructor(
    @Inject(PrismaService) private readonly prisma: PrismaService,
    @Inject(ClusterEventBus) private readonly events: ClusterEventBus,
    @Inject(RenderQueue) private readonly renders: RenderQueue,
  ) {}

  async reconcileBundle(bundleId: string): Promise<string[]> {
    const { affected, render } = await retryOnConflict(() => this.prisma.$transaction(async (tx) => {
      // Serialises fan-outs of the same bundle across workers and replicas.
      const bundle = (await tx.$queryRaw<LockedBundle[]>`
        SELECT name, revision_id, source_id, targets, fanout_requested_at::text AS marker FROM bundles WHERE id = ${bundleId}::uuid FOR UPDATE`)[0];
      if (!bundle) return { affected: [], render: false };
      const [clusters, groups, existing] = await Promise.all([
        readTargetableClusters(tx),
        readGroupSelectors(tx),
        tx.deployment.findMany({ where: { bundleId }, select: { id: true, clusterId: true, stagedRevision: true, stagedRenderKey: true, stagedOptions: true } }),
      ]);
      let plan: DeploymentPlan;
      let renderMissing = false;
      if (bundle.revision_id) {
        plan = planDeployments(uniformDesired(bundle.revision_id, targetedClusters(bundle.targets, clusters, groups).map((c) => c.id)), existing);
      } else {
        const fleetYaml = await this.fleetYaml(tx, bundle.source_id!);
        const renders = await this.storedRenders(tx, bundle.source_id!);
        const r = renderedDesired({ name: bundle.name, targets: bundle.targets, fleetYaml }, clusters, groups, renders);
        plan = planDeployments(r.desired, existing, r.keep);
        renderMissing = r.missing.length > 0;
        await tx.bundle.update({ where: { id: bundleId }, data: { renderState: r.state, renderReason: r.reason, renderMessage: r.message } });
        if (r.state === 'Rendered') await advanceRenderedCommit(tx, { bundleId });
      }
      await this.apply(tx, bundleId, plan);
      await raiseGenerations(tx, plan.affectedClusters);
      // While renders are missing the marker stays: if the render job is lost, the repair sweep comes back here.
      if (!renderMissing) await clearFanoutMark(tx, 'bundles', bundleId, bundle.marker);
      return { affected: plan.affectedClusters, render: renderMissing };
    }));
    if (render) await this.renders.renderBundle(bundleId);
    await this.notify(affected);
    return affected;
  }

  /**
   * Recomputes one cluster's deployments over every bundle (labels changed,
   * cluster joined). Bundles of ready objects are done here; directory bundles
   * (whose revision for this cluster depends on its labels) by their own fan-out.
   */
  async reconcileCluster(clusterId: string): Promise<boolean> {
    const { changed, rendered } = await retryOnConflict(() => this.prisma.$transaction(async (tx) => {
      const cluster = (await tx.$queryRaw<{ name: string; labels: Labels; marker: string | null }[]>`
        SELECT name, labels, fanout_requested_at::text AS marker FROM clusters WHERE id = ${clusterId}::uuid`)[0];
      if (!cluster) return { changed: false, rendered: [] };
      const [groups, bundles, existing] = await Promise.all([
        readGroupSelectors(tx),
        tx.bundle.findMany({ where: { revisionId: { not: null } }, select: { id: true, targets: true, revisionId: true } }),
        tx.deployment.findMany({ where: { clusterId, bundle: { revisionId: { not: null } } }, select: { id: true, bundleId: true } }),
      ]);
      const target: TargetableCluster = { id: clusterId, name: cluster.name, labels: cluster.labels };
      const wanted = bundles.filter((b) => targetedClusters(b.targets as BundleTarget[], [target], groups).length > 0);
      const byBundle = new Map(existing.map((d) => [d.bundleId, d]));
      const wantedIds = new Set(wanted.map((b) => b.id));
      const create = wanted.filter((b) => !byBundle.has(b.id));
      const stale = existing.filter((d) => !wantedIds.has(d.bundleId));
      if (create.length) {
        await tx.deployment.createMany({
          data: create.map((b) => ({ bundleId: b.id, clusterId, desiredRevision: b.revisionId!, stagedRevision: b.revisionId! })),
          skipDuplicates: true,
        });
      }
      if (stale.length) await tx.deployment.deleteMany({ where: { id: { in: stale.map((d) => d.id) } } });
      const changed = create.length > 0 || stale.length > 0;
      if (changed) await raiseGenerations(tx, [clusterId]);
      await clearFanoutMark(tx, 'clusters', clusterId, cluster.marker);
      const rendered = await tx.bundle.findMany({ where: { sourceId: { not: null } }, select: { id: true } });
      return { changed, rendered: rendered.map((b) => b.id) };
    }));
    if (changed) await this.notify([clusterId]);
    // Any directory bundle may target (or stop targeting) the cluster, or customise it differently now.
    for (const bundleId of rendered) await this.reconcileBundle(bundleId);
    return changed;
  }

  async reconcileAll(): Promise<void> {
    const bundles = await this.prisma.bundle.findMany({ select: { id: true } });
    for (const b of bundles) await this.reconcileBundle(b.id);
  }

  private async apply(tx: Tx, bundleId: string, plan: DeploymentPlan): Promise<void> {
    if (plan.create.length) {
      await tx.deployment.createMany({
        data: plan.create.map(({ clusterId, desired }) => ({
          bundleId,
          clusterId,
          desiredRevision: desired.revision,
          renderKey: desired.renderKey,
          options: desired.options === null ? Prisma.DbNull : (desired.options as Prisma.InputJsonValue),
          stagedRevision: desired.revision,
          stagedRenderKey: desired.renderKey,
          stagedOptions: desired.options === null ? Prisma.DbNull : (desired.options as Prisma.InputJsonValue),
        })),
        skipDuplicates: true,
      });
    }
    for (const { desired, ids } of plan.update) {
      await tx.deployment.updateMany({
        where: { id: { in: ids } },
        // The stored report no longer describes this deployment: the next report is written whatever it says.
        data: {
          desiredRevision: desired.revision,
          renderKey: desired.renderKey,
          options: desired.options === null ? Prisma.DbNull : (desired.options as Prisma.InputJsonValue),
          stagedRevision: desired.revision,
          stagedRenderKey: desired.renderKey,
          stagedOptions: desired.options === null ? Prisma.DbNull : (desired.options as Prisma.InputJsonValue),
          state: 'WaitApplied',
          reason: '',
          message: '',
          reportHash: '',
        },
      });
    }
    if (plan.remove.length) await tx.deployment.deleteMany({ where: { id: { in: plan.remove } } });
  }

  /** Fire-and-forget (never throws): a lost message is repaired by the gateway's generation re-check. */
  private async notify(clusterIds: string[]): Promise<void> {
    await this.events.desiredStateChanged(clusterIds);
  }

  private async fleetYaml(tx: Tx, sourceId: string): Promise<FleetYaml> {
    const row = await tx.bundleSource.findUnique({ where: { id: sourceId }, select: { fleetYaml: true } });
    return (row?.fleetYaml ?? {}) as FleetYaml;
  }

  private async storedRenders(tx: Tx, sourceId: string): Promise<Map<string, StoredRender>> {
    const rows = await tx.bundleRender.findMany({ where: { sourceId }, select: { key: true, revisionId: true, options: true, reason: true, message: true } });
    return new Map(rows.map((r) => [r.key, { ...r, options: r.options as Record<string, unknown> }]));
  }
}

type Tx = Parameters<Parameters<PrismaService['$transaction']>[0]>[0];
