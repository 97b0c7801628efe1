import type { LabelSelector } from '@flotilla/core';
import { selectorCondition } from '../target/cluster-selector.sql.js';
import { displayedStateSql } from '../delivery/rollout/displayed-state.js';
import { Prisma, type DeploymentState } from '../generated/prisma/client.js';
import type { PrismaService } from '../database/prisma.service.js';

type Db = Pick<PrismaService, '$queryRaw'>;

/** Filters every deployment list takes (all optional, ANDed). */
export interface DeploymentRowFilter {
  bundleId?: string | undefined;
  ids?: string[] | undefined;
  bundleName?: string | undefined;
  clusterId?: string | undefined;
  /** Displayed state (docs/rollouts.md): Pending and OutOfSync included. */
  state?: DeploymentState | undefined;
  /** Deployed to or running this revision ("where is revision X"). */
  revision?: string | undefined;
  /** Not running what is staged for it ("which clusters are not on the latest revision"). */
  notOnLatest?: boolean | undefined;
  /** Label selector on the deployment's cluster. */
  selector?: LabelSelector | undefined;
}

/** A deployment as the status lists show it. */
export interface DeploymentRow {
  id: string;
  bundle_name: string;
  cluster_id: string;
  cluster_name: string;
  state: DeploymentState;
  reason: string;
  message: string;
  desired_revision: string | null;
  staged_revision: string;
  applied_revision: string | null;
  reported_at: Date | null;
}

const SHOWN = displayedStateSql('d');

/** The WHERE conditions of a filter, over `deployments d`. */
export function filterConditions(f: DeploymentRowFilter): Prisma.Sql[] {
  const where: Prisma.Sql[] = [];
  if (f.bundleId) where.push(Prisma.sql`d.bundle_id = ${f.bundleId}::uuid`);
  if (f.ids) where.push(Prisma.sql`d.id = ANY(${f.ids}::uuid[])`);
  if (f.bundleName) where.push(Prisma.sql`d.bundle_id = (SELECT id FROM bundles WHERE name = ${f.bundleName})`);
  if (f.clusterId) where.push(Prisma.sql`d.cluster_id = ${f.clusterId}::uuid`);
  if (f.state) where.push(Prisma.sql`${SHOWN} = ${f.state}`);
  if (f.revision) where.push(Prisma.sql`(d.desired_revision = ${f.revision} OR d.applied_revision = ${f.revision})`);
  if (f.notOnLatest) where.push(Prisma.sql`(d.applied_revision IS DISTINCT FROM d.staged_revision OR d.desired_revision IS DISTINCT FROM d.staged_revision)`);
  if (f.selector) where.push(Prisma.sql`d.cluster_id IN (SELECT id FROM clusters WHERE ${selectorCondition(f.selector)})`);
  return where;
}

/** Sort orders of deployment lists, each a total order for keyset paging. */
export type DeploymentOrder = 'cluster' | 'bundle' | 'bundle-cluster';

const ORDER: Record<DeploymentOrder, { key: Prisma.Sql; columns: number }> = {
  cluster: { key: Prisma.sql`c.name`, columns: 1 },
  bundle: { key: Prisma.sql`b.name`, columns: 1 },
  'bundle-cluster': { key: Prisma.sql`b.name, c.name`, columns: 2 },
};

/** One page (limit + 1 rows, to tell whether there is more) of deployments after `after` in `order`. */
export function readDeploymentRows(db: Db, filter: DeploymentRowFilter, order: DeploymentOrder, after: string[] | undefined, limit: number): Promise<DeploymentRow[]> {
  const where = filterConditions(filter);
  const o = ORDER[order];
  if (after) where.push(o.columns === 1 ? Prisma.sql`(${o.key}) > ${after[0]}` : Prisma.sql`(${o.key}) > (${after[0]}, ${after[1]})`);
  return db.$queryRaw<DeploymentRow[]>`
    SELECT d.id::text, b.name AS bundle_name, c.id::text AS cluster_id, c.name AS cluster_name, ${SHOWN} AS state, d.reason, d.message,
           d.desired_revision, d.staged_revision, d.applied_revision, d.reported_at
    FROM deployments d JOIN bundles b ON b.id = d.bundle_id JOIN clusters c ON c.id = d.cluster_id
    WHERE ${where.length ? Prisma.join(where, ' AND ') : Prisma.sql`TRUE`}
    ORDER BY ${o.key} LIMIT ${limit + 1}`;
}

/** Deployments per displayed state of one bundle (or of whatever the filter selects), one GROUP BY. */
export function countDeployments(db: Db, filter: DeploymentRowFilter): Promise<{ state: DeploymentState; n: number }[]> {
  const where = filterConditions(filter);
  return db.$queryRaw<{ state: DeploymentState; n: number }[]>`
    SELECT ${SHOWN} AS state, count(*)::int AS n FROM deployments d
    WHERE ${where.length ? Prisma.join(where, ' AND ') : Prisma.sql`TRUE`} GROUP BY 1`;
}

/** The sort key of a row in `order` (what its cursor holds). */
export function keyOf(row: DeploymentRow, order: DeploymentOrder): string[] {
  return order === 'cluster' ? [row.cluster_name] : order === 'bundle' ? [row.bundle_name] : [row.bundle_name, row.cluster_name];
}
