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
 * statement: the page's bundles, a GROUP BY over their deployments, and per
 * bundle the worst deployment (by severity, then cluster name) for its
 * reason. Rows are limit + 1 to tell whether there is more.
 */
export async function readBundleSummaries(db: Db, filter: BundleSummaryFilter, after: string | undefined, limit: number): Promise<BundleSummary[]> {
  const where: Prisma.Sql[] = [];
  if (after !== undefined) where.push(Prisma.sql`b.name > ${after}`);
  if (filter.gitRepo !== undefined) where.push(filter.gitRepo === '' ? Prisma.sql`b.git_repo_id IS NULL` : Prisma.sql`g.name = ${filter.gitRepo}`);
  if (filter.state) where.push(Prisma.sql`EXISTS (SELECT 1 FROM deployments d WHERE d.bundle_id = b.id AND ${SHOWN} = ${filter.state})`);
  const rows = await db.$queryRaw<{ id: string; name: string; git_repo: string | null; counts: Record<string, number> | null; worst: { state: DeploymentState; reason: string; message: string; cluster: string } | null; seq: number | null; rstate: string | null; rmessage: string | null }[]>`
    WITH page AS (
      SELECT b.id, b.name, g.name AS git_repo FROM bundles b LEFT JOIN git_repos g ON g.id = b.git_repo_id
      WHERE ${where.length ? Prisma.join(where, ' AND ') : Prisma.sql`TRUE`} ORDER BY b.name LIMIT ${limit + 1}
    ), shown AS (
      SELECT d.bundle_id, ${SHOWN} AS state, d.reason, d.message, d.cluster_id FROM deployments d WHERE d.bundle_id IN (SELECT id FROM page)
    ), counts AS (
      SELECT bundle_id, jsonb_object_agg(state, n) AS counts FROM (SELECT bundle_id, state, count(*)::int AS n FROM shown GROUP BY 1, 2) x GROUP BY 1
    ), worst AS (
      SELECT DISTINCT ON (s.bundle_id) s.bundle_id, jsonb_build_object('state', s.state, 'reason', s.reason, 'message', s.message, 'cluster', c.name) AS worst
      FROM shown s JOIN clusters c ON c.id = s.cluster_id
      ORDER BY s.bundle_id, array_position(${SEVERITY}, s.state), c.name
    )
    SELECT p.id::text, p.name, p.git_repo, counts.counts, worst.worst, r.seq, r.state AS rstate, r.message AS rmessage
    FROM page p LEFT JOIN counts ON counts.bundle_id = p.id LEFT JOIN worst ON worst.bundle_id = p.id
    LEFT JOIN LATERAL (SELECT seq, state, message FROM rollouts WHERE bundle_id = p.id ORDER BY seq DESC LIMIT 1) r ON TRUE
    ORDER BY p.name`;
  return rows.map((r) => {
    const counts = Object.fromEntries(STATE_SEVERITY.map((s) => [s, r.counts?.[s] ?? 0])) as Record<DeploymentState, number>;
    return {
      bundle: r.name,
      gitRepo: r.git_repo,
      total: Object.values(counts).reduce((a, b) => a + b, 0),
      counts,
      worst: r.worst,
      rollout: r.seq === null ? null : { seq: r.seq, state: r.rstate!, message: r.rmessage ?? '' },
    };
  });
}
