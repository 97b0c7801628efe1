import { Inject, Injectable } from '@nestjs/common';
import { Prisma, type ClusterConnection } from '../generated/prisma/client.js';
import { decodeCursor, toPage, type Page, type PageRequest } from '../platform/http/pagination.js';
import { PrismaService } from '../database/prisma.service.js';
import { DomainError } from '../platform/errors/domain-error.js';
import { matchesSelector, type LabelSelector, type Labels } from '@flotilla/core';
import { assertClusterLabelCount, assertValidLabels } from '../target/label.validation.js';
import { markFanout } from '../delivery/fanout-marker.js';
import { FanoutQueue } from '../delivery/fanout.queue.js';
import { ClusterEventBus } from '../platform/events/cluster-events.bus.js';
import { selectorCondition } from '../target/cluster-selector.sql.js';
import { requestBundleSetEvaluation } from '../database/bundleset-inputs.js';

/** Filters of the cluster list; all given ones must hold. */
export interface ClusterFilter {
  /** Label selector the labels must match. Default: every cluster. */
  selector?: LabelSelector;
  /** Only clusters in this connection state. Default: any. */
  connection?: ClusterConnection | undefined;
  /** Only clusters whose name starts with this. Default: any. */
  namePrefix?: string | undefined;
}

export interface ClusterView {
  id: string;
  name: string;
  labels: Labels;
  connection: ClusterConnection;
  agentVersion: string;
  lastSeenAt: string | null;
  createdAt: string;
}

const VIEW_FIELDS = {
  id: true,
  name: true,
  labels: true,
  connection: true,
  agentVersion: true,
  lastSeenAt: true,
  createdAt: true,
} as const;

@Injectable()
export class ClusterService {
  constructor(
    @Inject(PrismaService) private readonly prisma: PrismaService,
    @Inject(ClusterEventBus) private readonly events: ClusterEventBus,
    @Inject(FanoutQueue) private readonly fanout: FanoutQueue,
  ) {}

  /**
   * One page of the clusters matching `filter`, by name (names are unique, so
   * the name is the whole sort key). Filtering happens in SQL so pages are
   * full and the cursor is exact.
   */
  async list(filter: ClusterFilter, page: PageRequest): Promise<Page<ClusterView>> {
    const after = decodeCursor(page.cursor, 1)?.[0];
    const conditions: Prisma.Sql[] = [selectorCondition(filter.selector ?? {})];
    if (after !== undefined) conditions.push(Prisma.sql`name > ${after}`);
    if (filter.connection !== undefined) conditions.push(Prisma.sql`connection = ${filter.connection}::"ClusterConnection"`);
    if (filter.namePrefix) conditions.push(Prisma.sql`starts_with(name, ${filter.namePrefix})`);
    const ids = await this.prisma.$queryRaw<{ id: string }[]>`
      SELECT id FROM clusters WHERE ${Prisma.join(conditions, ' AND ')} ORDER BY name LIMIT ${page.limit + 1}`;
    const rows = await this.prisma.cluster.findMany({ where: { id: { in: ids.map((r) => r.id) } }, select: VIEW_FIELDS });
    const byId = new Map(rows.map((r) => [r.id, r]));
    const ordered = ids.map((r) => byId.get(r.id)).filter((r) => r !== undefined);
    return toPage(ordered, page.limit, (r) => [r.name], view);
  }

  /** Every cluster whose labels match `selector` (for computing group members). */
  async matching(selector: LabelSelector = {}): Promise<ClusterView[]> {
    const rows = await this.prisma.cluster.findMany({ select: VIEW_FIELDS, orderBy: { name: 'asc' } });
    return rows.map(view).filter((c) => matchesSelector(selector, c.labels));
  }

  async get(id: string): Promise<ClusterView> {
    const row = await this.prisma.cluster.findUnique({ where: { id }, select: VIEW_FIELDS });
    if (!row) throw notFound(id);
    return view(row);
  }

  /**
   * Applies a JSON-merge-patch to the labels: a string sets a label, null
   * removes it. Serialised per row so concurrent patches do not lose updates.
   */
  async patchLabels(id: string, patch: Record<string, string | null>): Promise<ClusterView> {
    const sets = Object.fromEntries(Object.entries(patch).filter((e): e is [string, string] => e[1] !== null));
    assertClusterLabelCount(sets);
    assertValidLabels(sets);
    const updated = await this.prisma.$transaction(async (tx) => {
      const locked = await tx.$queryRaw<{ labels: Labels }[]>`SELECT labels FROM clusters WHERE id = ${id}::uuid FOR UPDATE`;
      if (locked.length === 0) throw notFound(id);
      const labels = { ...locked[0]!.labels };
      for (const [key, value] of Object.entries(patch)) {
        if (value === null) delete labels[key];
        else labels[key] = value;
      }
      // Only growth is refused, so a cluster stored over the limit (before there was one) can still be trimmed.
      if (Object.keys(labels).length > Object.keys(locked[0]!.labels).length) assertClusterLabelCount(labels);
      const updated = await tx.cluster.update({ where: { id }, data: { labels }, select: VIEW_FIELDS });
      // Committed with the change: the repair sweep runs the fan-out if the job below is lost (Redis down).
      await markFanout(tx, 'clusters', [id]);
      return updated;
    });
    // Targets may depend on labels. Neither fails nor waits long without Redis.
    await this.fanout.reconcileCluster(id);
    return view(updated);
  }

  /**
   * Invalidates the credential and closes the stream; the cluster record stays.
   * The answer is the database's: the event is fire-and-forget, and without
   * Redis this replica acts on it at once and the others' re-checks do.
   */
  async revoke(id: string): Promise<ClusterView> {
    const result = await this.prisma.cluster.updateMany({
      where: { id },
      data: { credentialHash: null, connection: 'revoked' },
    });
    if (result.count === 0) throw notFound(id);
    await this.events.publish({ type: 'credential-revoked', clusterId: id });
    return this.get(id);
  }

  /** Deregisters: deletes the cluster and closes its stream. */
  async deregister(id: string): Promise<void> {
    const result = await this.prisma.cluster.deleteMany({ where: { id } });
    if (result.count === 0) throw notFound(id);
    // A `clusters` generator's clusters changed.
    await requestBundleSetEvaluation(this.prisma, { clusters: true, ids: [id] });
    await this.events.publish({ type: 'credential-revoked', clusterId: id });
  }
}

function notFound(id: string): DomainError {
  return new DomainError('ClusterNotFound', `cluster ${id} not found`);
}

function view(row: {
  id: string;
  name: string;
  labels: unknown;
  connection: ClusterConnection;
  agentVersion: string;
  lastSeenAt: Date | null;
  createdAt: Date;
}): ClusterView {
  return {
    id: row.id,
    name: row.name,
    labels: row.labels as Labels,
    connection: row.connection,
    agentVersion: row.agentVersion,
    lastSeenAt: row.lastSeenAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}
