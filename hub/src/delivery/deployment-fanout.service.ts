import { Inject, Injectable } from '@nestjs/common';
import type { Labels } from '@flotilla/core';
import type { FleetYaml } from '@flotilla/render';
import { advanceRenderedCommit } from '../database/rendered-commit.js';
import { Prisma } from '../generated/prisma/client.js';
import { ClusterEventBus } from '../platform/events/cluster-events.bus.js';
import { PrismaService } from '../database/prisma.service.js';
import { HUB_CONFIG } from '../platform/config/config.module.js';
import type { HubConfig } from '../platform/config/config.js';
import { targetedClusters, type BundleTarget, type TargetableCluster } from '../target/bundle-target.js';
import { retryOnConflict } from './deadlock-retry.js';
import { raiseGenerations } from './desired-generation.js';
import { planDeployments, uniformDesired, type DeploymentPlan, type DesiredDeployment } from './deployment-plan.js';
import { clearFanoutMark } from './fanout-marker.js';
import { readGroupSelectors, readTargetableClusters } from './fanout.reads.js';
import { RenderQueue } from './render.queue.js';
import { effectiveContent, openRolloutIfChanged, type PinnedBundle } from './rollout/rollout-history.js';
import { deploysAtOnce } from './rollout/plan/rollout-strategy.js';
import { readRolloutSettings } from './rollout/rollout-reads.js';
import { deployOutstanding, stepRollout } from './rollout/rollout-step.js';
import { renderedDesired, type StoredRender } from './rendered-desired.js';

interface LockedBundle extends PinnedBundle {
  name: string;
  targets: BundleTarget[];
  marker: string | null;
  git_repo: string | null;
  commit: string | null;
}

/**
 * Makes the deployments table match targets: one deployment per (bundle,
 * targeted cluster) with the revision that cluster should run *staged* — the
 * bundle's revision for ready objects, its customisation's render for a
 * directory bundle, or the pinned history entry's after a rollback — then
 * runs a pass of the bundle's rollout in the same transaction, which decides
 * which staged revisions are deployed (with the default strategy: all of
 * them, at once), and tells the affected clusters' streams. Reads everything
 * it needs from PostgreSQL.
 */
@Injectable()
export class DeploymentFanout {
  constructor(
    @Inject(PrismaService) private readonly prisma: PrismaService,
    @Inject(ClusterEventBus) private readonly events: ClusterEventBus,
    @Inject(RenderQueue) private readonly renders: RenderQueue,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  /**
   * `change`, when given, runs first in the same transaction with the
   * bundle's row locked (a rollback or unpin sets the pin there), and names
   * the cause of the history entry the new content opens: the entry, its
   * staging and its first pass commit together, so no pass ever plans an
   * entry against what was staged before it.
   */
  async reconcileBundle(bundleId: string, change?: { cause: string; apply: (tx: Tx) => Promise<void> }): Promise<string[]> {
    const { affected, render } = await retryOnConflict(() => this.prisma.$transaction(async (tx) => {
      // Serialises fan-outs and rollout passes of the same bundle across workers and replicas.
      const lock = () => tx.$queryRaw<LockedBundle[]>`
        SELECT b.name, b.revision_id, b.source_id, b.targets, b.fanout_requested_at::text AS marker, b.pinned_rollout_id::text,
               b.pin_until, b.pinned_over, g.name AS git_repo, g.commit
        FROM bundles b LEFT JOIN git_repos g ON g.id = b.git_repo_id WHERE b.id = ${bundleId}::uuid FOR UPDATE OF b`;
      let bundle = (await lock())[0];
      if (bundle && change) {
        await change.apply(tx);
        bundle = (await lock())[0];
      }
      if (!bundle) return { affected: [], render: false };
      const { content, unpinned } = await effectiveContent(tx, bundleId, bundle);
      const [clusters, groups, existing] = await Promise.all([
        readTargetableClusters(tx),
        readGroupSelectors(tx),
        tx.deployment.findMany({ where: { bundleId }, select: { id: true, clusterId: true, stagedRevision: true, stagedRenderKey: true, stagedOptions: true } }),
      ]);
      let plan: DeploymentPlan;
      let renderMissing = false;
      if (content.revisionId) {
        plan = planDeployments(uniformDesired(content.revisionId, targetedClusters(bundle.targets, clusters, groups).map((c) => c.id)), existing);
      } else {
        const fleetYaml = await this.fleetYaml(tx, content.sourceId!);
        const renders = await this.storedRenders(tx, content.sourceId!);
        const r = renderedDesired({ name: bundle.name, targets: bundle.targets, fleetYaml }, clusters, groups, renders);
        plan = planDeployments(r.desired, existing, r.keep);
        // Renders are asked for the bundle's own source only: a cluster new to a pinned old source keeps waiting.
        renderMissing = r.missing.length > 0 && content.sourceId === bundle.source_id;
        await tx.bundle.update({ where: { id: bundleId }, data: { renderState: r.state, renderReason: r.reason, renderMessage: r.message } });
        if (r.state === 'Rendered') await advanceRenderedCommit(tx, { bundleId });
      }
      // With nothing for a rollout to decide, staged is deployed in the same write, as before rollouts existed.
      const settings = await readRolloutSettings(tx, bundleId);
      const immediate = settings !== undefined && deploysAtOnce(settings);
      await this.stage(tx, bundleId, plan, immediate);
      await openRolloutIfChanged(tx, content, {
        bundleId,
        bundle: bundle.name,
        gitRepo: bundle.git_repo ?? '',
        commit: bundle.commit ?? '',
        cause: change?.cause ?? (unpinned ? 'newContent' : 'change'),
        depth: this.config.rollouts.historyDepth,
      });
      // Immediate: what an earlier strategy left staged is deployed too; the scheduler's re-check records the
      // rollout's progress and completion. Otherwise a pass of the planner decides.
      const deployed = immediate ? [...stagedClusters(plan), ...(await deployOutstanding(tx, bundleId))] : await stepRollout(tx, bundleId, groups);
      const affected = [...deployed, ...plan.removedClusters];
      await raiseGenerations(tx, affected);
      // While renders are missing the marker stays: if the render job is lost, the repair sweep comes back here.
      if (!renderMissing) await clearFanoutMark(tx, 'bundles', bundleId, bundle.marker);
      return { affected, render: renderMissing };
    }));
    if (render) await this.renders.renderBundle(bundleId);
    await this.notify(affected);
    return affected;
  }

  /**
   * Recomputes one cluster's deployments over every bundle (labels changed,
   * cluster joined). Bundles of ready objects whose rollout has nothing to
   * decide (default strategy, not paused, no dependsOn, not pinned) are done
   * here, deployed at once as their rollout would; the others, and directory
   * bundles (whose revision for this cluster depends on its labels), by their
   * own fan-out, which runs their rollout.
   */
  async reconcileCluster(clusterId: string): Promise<boolean> {
    const { changed, others } = await retryOnConflict(() => this.prisma.$transaction(async (tx) => {
      const cluster = (await tx.$queryRaw<{ name: string; labels: Labels; marker: string | null }[]>`
        SELECT name, labels, fanout_requested_at::text AS marker FROM clusters WHERE id = ${clusterId}::uuid`)[0];
      if (!cluster) return { changed: false, others: [] };
      const [groups, bundles, existing] = await Promise.all([
        readGroupSelectors(tx),
        tx.bundle.findMany({ where: IMMEDIATE, select: { id: true, targets: true, revisionId: true } }),
        tx.deployment.findMany({ where: { clusterId, bundle: IMMEDIATE }, select: { id: true, bundleId: true } }),
      ]);
      const target: TargetableCluster = { id: clusterId, name: cluster.name, labels: cluster.labels };
      const wanted = bundles.filter((b) => targetedClusters(b.targets as BundleTarget[], [target], groups).length > 0);
      const byBundle = new Map(existing.map((d) => [d.bundleId, d]));
      const wantedIds = new Set(wanted.map((b) => b.id));
      const create = wanted.filter((b) => !byBundle.has(b.id));
      const stale = existing.filter((d) => !wantedIds.has(d.bundleId));
      if (create.length) {
        await tx.deployment.createMany({
          data: create.map((b) => ({ bundleId: b.id, clusterId, desiredRevision: b.revisionId!, stagedRevision: b.revisionId!, deployedAt: new Date() })),
          skipDuplicates: true,
        });
      }
      if (stale.length) await tx.deployment.deleteMany({ where: { id: { in: stale.map((d) => d.id) } } });
      const changed = create.length > 0 || stale.length > 0;
      if (changed) await raiseGenerations(tx, [clusterId]);
      await clearFanoutMark(tx, 'clusters', clusterId, cluster.marker);
      const others = await tx.bundle.findMany({ where: { NOT: IMMEDIATE }, select: { id: true } });
      return { changed, others: others.map((b) => b.id) };
    }));
    if (changed) await this.notify([clusterId]);
    // Any of these may target (or stop targeting) the cluster, customise it differently, or hold it in a rollout.
    for (const bundleId of others) await this.reconcileBundle(bundleId);
    return changed;
  }

  async reconcileAll(): Promise<void> {
    const bundles = await this.prisma.bundle.findMany({ select: { id: true } });
    for (const b of bundles) await this.reconcileBundle(b.id);
  }

  /**
   * Writes what each cluster should run (staged); what its agent runs changes
   * only when the rollout deploys it — here at once when `deploy`.
   */
  private async stage(tx: Tx, bundleId: string, plan: DeploymentPlan, deploy: boolean): Promise<void> {
    const json = (options: Record<string, unknown> | null) => (options === null ? Prisma.DbNull : (options as Prisma.InputJsonValue));
    const deployed = (d: DesiredDeployment) => (deploy ? { desiredRevision: d.revision, renderKey: d.renderKey, options: json(d.options), deployedAt: new Date() } : {});
    if (plan.create.length) {
      await tx.deployment.createMany({
        data: plan.create.map(({ clusterId, desired }) => ({
          bundleId,
          clusterId,
          state: deploy ? ('WaitApplied' as const) : ('Pending' as const),
          stagedRevision: desired.revision,
          stagedRenderKey: desired.renderKey,
          stagedOptions: json(desired.options),
          ...deployed(desired),
        })),
        skipDuplicates: true,
      });
    }
    for (const { desired, ids } of plan.update) {
      await tx.deployment.updateMany({
        where: { id: { in: ids } },
        data: {
          stagedRevision: desired.revision,
          stagedRenderKey: desired.renderKey,
          stagedOptions: json(desired.options),
          // Deployed: the stored report no longer describes it, so the next report is written whatever it says.
          ...(deploy ? { ...deployed(desired), state: 'WaitApplied' as const, reason: '', message: '', reportHash: '' } : {}),
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

/** Clusters whose deployment the plan creates or changes. */
function stagedClusters(plan: DeploymentPlan): string[] {
  return [...plan.create.map((c) => c.clusterId), ...plan.update.flatMap((u) => u.clusterIds)];
}

/** Bundles of ready objects whose rollout deploys a joining cluster at once: nothing for a rollout to decide. */
const IMMEDIATE = {
  revisionId: { not: null },
  rolloutStrategy: { equals: Prisma.DbNull },
  dependsOn: { equals: Prisma.DbNull },
  schedule: { equals: Prisma.DbNull },
  paused: false,
  pinnedRolloutId: null,
} satisfies Prisma.BundleWhereInput;
