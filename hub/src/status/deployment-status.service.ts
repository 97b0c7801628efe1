import { Inject, Injectable } from '@nestjs/common';
import { redactSecretDiffs } from '@flotilla/core';
import type { DeploymentStatus as ProtoStatus } from '@flotilla/proto';
import type { DeploymentState } from '../generated/prisma/client.js';
import { PrismaService } from '../database/prisma.service.js';
import { GroupCommit } from '../platform/batching/group-commit.js';
import { DomainError } from '../platform/errors/domain-error.js';
import { HubMetrics } from '../platform/metrics/metrics.js';
import { eventRows, type FleetEventInput } from '../platform/events/fleet-event-log.js';
import { wakeSignals } from '../platform/schedule/wake-signal.js';
import { storedReport, type StoredReport } from './stored-report.js';
import { decodeCursor, toPage, type Page, type PageRequest } from '../platform/http/pagination.js';
import { countsOf, type BundleStatusView, type DeploymentFilter } from './deployment-query.js';
import { countDeployments, keyOf, readDeploymentRows, type DeploymentRow } from './deployment-rows.js';
import { readBundleSummaries, type BundleSummary, type BundleSummaryFilter } from './fleet-status.js';
import { readGitRepoSummaries, readRevisionCounts, type GitRepoSummary } from './gitrepo-summary.js';

export interface DeploymentView {
  deploymentId: string;
  bundleName: string;
  clusterId: string;
  clusterName: string;
  state: DeploymentState;
  reason: string;
  message: string;
  desiredRevision: string | null;
  /** What the cluster will get when the rollout reaches it (equal to desiredRevision once it did). */
  stagedRevision: string;
  appliedRevision: string | null;
  reportedAt: string | null;
}

export interface ResourceView {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  state: DeploymentState;
  message: string;
  diffs: { path: string; desired: string; live: string }[];
}


@Injectable()
export class DeploymentStatusService {
  constructor(
    @Inject(PrismaService) private readonly prisma: PrismaService,
    @Inject(HubMetrics) private readonly metrics: HubMetrics,
  ) {}

  /** Reports of many clusters written together (group commit): one read and one statement per batch. */
  private readonly writes = new GroupCommit((items: ClusterReport[]) => this.recordBatch(items), {
    maxWeight: MAX_DEPLOYMENTS_PER_WRITE,
    weight: (item) => item.reports.length,
  });

  /**
   * Stores an agent's report. Only deployments of the calling cluster are
   * touched (the WHERE clause carries the cluster id from the credential);
   * returns how many were recorded. A deployment whose stored status would
   * not change (same hash of state, reason, message, applied revision and
   * resources) is not written at all: idle clusters re-report every minute,
   * and 5,000 of them used to rewrite every row and its resources JSON.
   * Reports that arrive while a write runs are written together in the next
   * one (GroupCommit): a fleet-wide change makes every cluster report at
   * once. Returns how many were accepted and how many of those changed.
   */
  record(clusterId: string, reports: ProtoStatus[]): Promise<{ accepted: number; changed: number }> {
    if (reports.length === 0) return Promise.resolve({ accepted: 0, changed: 0 });
    return this.writes.submit({ clusterId, reports });
  }

  private async recordBatch(items: ClusterReport[]): Promise<{ accepted: number; changed: number }[]> {
    this.metrics.statusWriteBatches.inc();
    const asked = items.flatMap((item) => item.reports.filter((r) => isUuid(r.deploymentId)).map((r) => ({ cluster: item.clusterId, id: r.deploymentId })));
    const current = await this.prisma.$queryRaw<ReportedRow[]>`
      SELECT d.id::text AS id, d.cluster_id::text AS "clusterId", d.desired_revision AS "desiredRevision", d.report_hash AS "reportHash",
             d.state::text AS state, b.name AS bundle, coalesce(g.name, '') AS "gitRepo", c.name AS cluster
      FROM unnest(${asked.map((a) => a.cluster)}::uuid[], ${asked.map((a) => a.id)}::uuid[]) AS r(cluster_id, id)
      JOIN deployments d ON d.id = r.id AND d.cluster_id = r.cluster_id
      JOIN bundles b ON b.id = d.bundle_id JOIN clusters c ON c.id = d.cluster_id
      LEFT JOIN git_repos g ON g.id = b.git_repo_id`;
    // Keyed by cluster too: a report naming another cluster's deployment finds nothing.
    const known = new Map(current.map((d) => [`${d.clusterId}/${d.id}`, d]));
    const results: { accepted: number; changed: number }[] = [];
    // A deployment reported twice in one batch is written once, as its later report says.
    const written = new Map<string, { clusterId: string; row: ReportedRow; stored: StoredReport }>();
    for (const item of items) {
      let accepted = 0;
      let changed = 0;
      for (const r of item.reports) {
        const row = known.get(`${item.clusterId}/${r.deploymentId}`);
        // Not deployed yet (the rollout has not reached this cluster): the agent cannot know it.
        if (!row?.desiredRevision) continue;
        accepted++;
        const stored = storedReport(row.desiredRevision, r);
        if (stored.hash === row.reportHash) continue;
        changed++;
        written.set(row.id, { clusterId: item.clusterId, row, stored });
      }
      results.push({ accepted, changed });
    }
    const total = results.reduce((a, r) => ({ accepted: a.accepted + r.accepted, changed: a.changed + r.changed }), { accepted: 0, changed: 0 });
    this.metrics.statusWrites.inc({ result: 'unchanged' }, total.accepted - total.changed);
    if (written.size === 0) return results;
    this.metrics.statusWrites.inc({ result: 'written' }, total.changed);
    const changed = [...written.values()];
    const col = <K extends keyof StoredReport>(k: K) => changed.map((r) => r.stored[k]);
    // The desired revision is part of the WHERE: a report judged against a
    // revision that changed meanwhile is not stored (the agent reports again).
    // A change of state is an event, inserted by the same statement for the
    // rows the UPDATE wrote: one round trip, atomic, no transaction to hold.
    const events = changed.flatMap((r) => stateEvents(r.row, r.stored));
    await this.prisma.$queryRaw`
      WITH written AS (
        UPDATE deployments AS d SET
          applied_revision = v.applied, state = v.state::"DeploymentState", reason = v.reason, message = v.message,
          resources = v.resources::jsonb, report_hash = v.hash, reported_at = now(), updated_at = now()
        FROM unnest(${changed.map((r) => r.row.id)}::uuid[], ${changed.map((r) => r.clusterId)}::uuid[], ${changed.map((r) => r.row.desiredRevision)}::text[],
                    ${col('appliedRevision')}::text[], ${col('state')}::text[], ${col('reason')}::text[], ${col('message')}::text[], ${col('resources')}::text[],
                    ${col('hash')}::text[])
          AS v(id, cluster, desired, applied, state, reason, message, resources, hash)
        WHERE d.id = v.id AND d.cluster_id = v.cluster AND d.desired_revision = v.desired
        RETURNING d.id::text AS id),
      logged AS (
        INSERT INTO fleet_events (kind, bundle, cluster, git_repo, severity, message, data)
        SELECT e.kind, e.bundle, e.cluster, e.git_repo, e.severity, e.message, e.data
        FROM ${eventRows(events.map((e) => e.event), events.map((e) => e.deploymentId))}
        WHERE e.ref IN (SELECT id FROM written)
        RETURNING 1)
      SELECT (SELECT count(*)::int FROM written) AS written, (SELECT count(*)::int FROM logged) AS logged`;
    if (events.length > 0) wakeSignals.fleetEvents.notify();
    return results;
  }

  /**
   * A bundle's counts by displayed state (one GROUP BY, over every
   * deployment) and one page of its deployments by cluster name, filtered.
   */
  async bundleStatus(bundleName: string, filter: DeploymentFilter, page: PageRequest): Promise<BundleStatusView> {
    const bundle = await this.prisma.bundle.findUnique({ where: { name: bundleName }, select: { id: true, revisionId: true } });
    if (!bundle) throw new DomainError('BundleNotFound', `bundle "${bundleName}" not found`);
    const [grouped, revisions, rows] = await Promise.all([
      countDeployments(this.prisma, { bundleId: bundle.id }),
      readRevisionCounts(this.prisma, bundle.id),
      readDeploymentRows(this.prisma, { ...filter, bundleId: bundle.id }, 'cluster', decodeCursor(page.cursor, 1), page.limit),
    ]);
    const counts = countsOf(grouped);
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    return { bundle: bundleName, revision: bundle.revisionId, total, counts, revisions, ...toPage(rows, page.limit, (r) => keyOf(r, 'cluster'), rowView) };
  }

  /** One page of a cluster's deployments by bundle name, filtered. */
  async clusterDeployments(clusterId: string, filter: DeploymentFilter, page: PageRequest): Promise<Page<DeploymentView>> {
    if (!(await this.prisma.cluster.findUnique({ where: { id: clusterId }, select: { id: true } }))) {
      throw new DomainError('ClusterNotFound', `cluster ${clusterId} not found`);
    }
    const rows = await readDeploymentRows(this.prisma, { ...filter, clusterId }, 'bundle', decodeCursor(page.cursor, 1), page.limit);
    return toPage(rows, page.limit, (r) => keyOf(r, 'bundle'), rowView);
  }

  /**
   * Deployments across the fleet by bundle and cluster name: "where is
   * revision X running" (`revision`), "which clusters are not on the latest
   * revision" (`notOnLatest`), by state, bundle, cluster label selector.
   */
  async deployments(filter: DeploymentFilter & { bundle?: string | undefined }, page: PageRequest): Promise<Page<DeploymentView>> {
    if (filter.bundle && !(await this.prisma.bundle.findUnique({ where: { name: filter.bundle }, select: { id: true } }))) {
      throw new DomainError('BundleNotFound', `bundle "${filter.bundle}" not found`);
    }
    const rows = await readDeploymentRows(this.prisma, { ...filter, bundleName: filter.bundle }, 'bundle-cluster', decodeCursor(page.cursor, 2), page.limit);
    return toPage(rows, page.limit, (r) => keyOf(r, 'bundle-cluster'), rowView);
  }

  /** Counts by displayed state per GitRepo (and for the bundles of none), the worst state of each. */
  gitRepoSummaries(): Promise<GitRepoSummary[]> {
    return readGitRepoSummaries(this.prisma);
  }

  /** Counts by displayed state for every bundle, a page at a time (by name), with the worst state and why. */
  async bundleSummaries(filter: BundleSummaryFilter, page: PageRequest): Promise<Page<BundleSummary>> {
    const rows = await readBundleSummaries(this.prisma, filter, decodeCursor(page.cursor, 1)?.[0], page.limit);
    return toPage(rows, page.limit, (r) => [r.bundle], (r) => r);
  }

  async deployment(id: string): Promise<DeploymentView & { resources: ResourceView[] }> {
    const row = (await this.prisma.deployment.findUnique({ where: { id }, select: { bundleId: true, resources: true } }));
    const shown = row ? (await readDeploymentRows(this.prisma, { bundleId: row.bundleId, ids: [id] }, 'cluster', undefined, 1))[0] : undefined;
    if (!row || !shown) throw new DomainError('DeploymentNotFound', `deployment ${id} not found`);
    // Redacted on read too: rows stored before issue #9 may still hold Secret values (until the next report rewrites them).
    const resources = (row.resources as unknown as ResourceView[]).map((r) => ({ ...r, diffs: redactSecretDiffs(r.kind, r.diffs) }));
    return { ...rowView(shown), resources };
  }
}

function rowView(r: DeploymentRow): DeploymentView {
  return {
    deploymentId: r.id,
    bundleName: r.bundle_name,
    clusterId: r.cluster_id,
    clusterName: r.cluster_name,
    state: r.state,
    reason: r.reason,
    message: r.message,
    desiredRevision: r.desired_revision,
    stagedRevision: r.staged_revision,
    appliedRevision: r.applied_revision,
    reportedAt: r.reported_at?.toISOString() ?? null,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
function isUuid(s: string): boolean {
  return UUID.test(s);
}

/** One cluster's report, as record() queues it. */
interface ClusterReport {
  clusterId: string;
  reports: ProtoStatus[];
}

/** At most this many deployments' statuses are written by one statement. */
const MAX_DEPLOYMENTS_PER_WRITE = 2000;

/** A deployment of a reporting cluster as recordBatch() reads it. */
interface ReportedRow {
  id: string;
  clusterId: string;
  desiredRevision: string | null;
  reportHash: string;
  state: DeploymentState;
  bundle: string;
  gitRepo: string;
  cluster: string;
}

/** The events a stored report makes: a state change, plus ErrApplied and drift as their own kinds. */
function stateEvents(
  before: ReportedRow,
  after: StoredReport,
): { deploymentId: string; event: FleetEventInput }[] {
  if (before.state === after.state) return [];
  const base = { bundle: before.bundle, cluster: before.cluster, gitRepo: before.gitRepo };
  const data = { deploymentId: before.id, from: before.state, to: after.state, revision: after.appliedRevision, reason: after.reason };
  const where = `${before.bundle} on ${before.cluster}`;
  const out: FleetEventInput[] = [{ ...base, kind: 'deployment.state', message: `${where}: ${before.state} → ${after.state}${after.message ? `: ${after.message}` : ''}`, data }];
  if (after.state === 'ErrApplied') out.push({ ...base, kind: 'deployment.errApplied', severity: 'error', message: `${where} failed to apply: ${after.message || after.reason}`, data });
  if (after.state === 'Modified') out.push({ ...base, kind: 'drift.detected', severity: 'warning', message: `${where} drifted from Git${after.message ? `: ${after.message}` : ''}`, data });
  return out.map((event) => ({ deploymentId: before.id, event }));
}
