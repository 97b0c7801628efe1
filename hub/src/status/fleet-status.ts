import type { DeploymentState } from '../generated/prisma/client.js';
import { displayedStateSql } from '../delivery/rollout/displayed-state.js';
import { Prisma } from '../generated/prisma/client.js';
import type { PrismaService } from '../database/prisma.service.js';
import { STATE_SEVERITY } from './deployment-state.js';

type Db = Pick<PrismaService, '$queryRaw'>;

/** One bundle in the fleet-wide status: counts by displayed state, the worst with why, its current rollout. */
export interface BundleSummary {
  bundle: string;
  gitRepo: string | null;
  total: number;
  counts: Record<DeploymentState, number>;
  worst: { state: DeploymentState; reason: string; message: string; cluster: string } | null;
  rollout: { seq: number; state: string; message: string } | null;
}

export interface BundleSummaryFilter {
  gitRepo?: string | undefined;
  /** Only bundles with at least one deployment in this displayed state. */
  state?: DeploymentState | undefined;
}

const SHOWN = displayedStateSql('d');
/** Worst first, as array_position ranks it. */
const SEVERITY = Prisma.sql`ARRAY[${Prisma.join(STATE_SEVERITY)}]::text[]`;

/**
 * Counts by displayed state for a page of bundles (by name), in one
 * statement: the page's bundles, one GROUP BY over their deployments, the
 * worst state from the counts, and per bundle one deployment in that state
 * (found through the (bundle_id, state) index) for its reason. Rows are
 * limit + 1 to tell whether there is more.
 */
export async function readBundleSummaries(db: Db, filter: BundleSummaryFilter, after: string | undefined, limit: number): Promise<BundleSummary[]> {
  const where: Prisma.Sql[] = [];
  if (after !== undefined) where.push(Prisma.sql`b.name > ${after}`);
  if (filter.gitRepo !== undefined) where.push(filter.gitRepo === '' ? Prisma.sql`b.git_repo_id IS NULL` : Prisma.sql`g.name = ${filter.gitRepo}`);
  if (filter.state) where.push(Prisma.sql`EXISTS (SELECT 1 FROM deployments d WHERE d.bundle_id = b.id AND ${SHOWN} = ${filter.state})`);
  const rows = await db.$queryRaw<{ id: string; name: string; git_repo: string | null; counts: Record<string, number> | null; worst_state: DeploymentState | null; reason: string | null; message: string | null; cluster: string | null; seq: number | null; rstate: string | null; rmessage: string | null }[]>`
    WITH page AS (
      SELECT b.id, b.name, g.name AS git_repo FROM bundles b LEFT JOIN git_repos g ON g.id = b.git_repo_id
      WHERE ${where.length ? Prisma.join(where, ' AND ') : Prisma.sql`TRUE`} ORDER BY b.name LIMIT ${limit + 1}
    ), counts AS (
      SELECT d.bundle_id, ${SHOWN} AS state, count(*)::int AS n FROM deployments d WHERE d.bundle_id IN (SELECT id FROM page) GROUP BY 1, 2
    ), agg AS (
      SELECT bundle_id, jsonb_object_agg(state, n) AS counts, (array_agg(state ORDER BY array_position(${SEVERITY}, state)))[1] AS worst_state
      FROM counts GROUP BY 1
    )
    SELECT p.id::text, p.name, p.git_repo, agg.counts, agg.worst_state, w.reason, w.message, w.cluster, r.seq, r.state AS rstate, r.message AS rmessage
    FROM page p LEFT JOIN agg ON agg.bundle_id = p.id
    LEFT JOIN LATERAL (
      SELECT d.reason, d.message, c.name AS cluster FROM deployments d JOIN clusters c ON c.id = d.cluster_id
      WHERE d.bundle_id = p.id AND ${SHOWN} = agg.worst_state LIMIT 1
    ) w ON TRUE
    LEFT JOIN LATERAL (SELECT seq, state, message FROM rollouts WHERE bundle_id = p.id ORDER BY seq DESC LIMIT 1) r ON TRUE
    ORDER BY p.name`;
  return rows.map((r) => {
    const counts = Object.fromEntries(STATE_SEVERITY.map((s) => [s, r.counts?.[s] ?? 0])) as Record<DeploymentState, number>;
    return {
      bundle: r.name,
      gitRepo: r.git_repo,
      total: Object.values(counts).reduce((a, b) => a + b, 0),
      counts,
      worst: r.worst_state ? { state: r.worst_state, reason: r.reason ?? '', message: r.message ?? '', cluster: r.cluster ?? '' } : null,
      rollout: r.seq === null ? null : { seq: r.seq, state: r.rstate!, message: r.rmessage ?? '' },
    };
  });
}
