import type { DeploymentState } from '../generated/prisma/client.js';
import { displayedStateSql } from '../delivery/rollout/displayed-state.js';
import type { PrismaService } from '../database/prisma.service.js';
import { STATE_SEVERITY } from './deployment-state.js';

type Db = Pick<PrismaService, '$queryRaw'>;

/** One GitRepo (or, with gitRepo null, the bundles of no GitRepo) across the fleet. */
export interface GitRepoSummary {
  gitRepo: string | null;
  bundles: number;
  total: number;
  counts: Record<DeploymentState, number>;
  worst: DeploymentState | null;
}

const SHOWN = displayedStateSql('d');

/** Counts by displayed state per GitRepo (one GROUP BY over every deployment), GitRepos by name, API bundles last. */
export async function readGitRepoSummaries(db: Db): Promise<GitRepoSummary[]> {
  const rows = await db.$queryRaw<{ git_repo: string | null; bundles: number; state: DeploymentState | null; n: number }[]>`
    WITH per AS (
      SELECT g.name AS git_repo, ${SHOWN} AS state, count(*)::int AS n
      FROM deployments d JOIN bundles b ON b.id = d.bundle_id LEFT JOIN git_repos g ON g.id = b.git_repo_id GROUP BY 1, 2
    ), repos AS (
      SELECT g.name AS git_repo, count(b.id)::int AS bundles FROM git_repos g LEFT JOIN bundles b ON b.git_repo_id = g.id GROUP BY 1
      UNION ALL SELECT NULL, count(*)::int FROM bundles WHERE git_repo_id IS NULL
    )
    SELECT r.git_repo, r.bundles, per.state, coalesce(per.n, 0)::int AS n
    FROM repos r LEFT JOIN per ON per.git_repo IS NOT DISTINCT FROM r.git_repo
    ORDER BY r.git_repo NULLS LAST`;
  const out = new Map<string | null, GitRepoSummary>();
  for (const r of rows) {
    const s = out.get(r.git_repo) ?? { gitRepo: r.git_repo, bundles: r.bundles, total: 0, counts: Object.fromEntries(STATE_SEVERITY.map((x) => [x, 0])) as Record<DeploymentState, number>, worst: null };
    if (r.state) {
      s.counts[r.state] += r.n;
      s.total += r.n;
    }
    out.set(r.git_repo, s);
  }
  for (const s of out.values()) s.worst = STATE_SEVERITY.find((x) => s.counts[x] > 0) ?? null;
  return [...out.values()].filter((s) => s.gitRepo !== null || s.bundles > 0);
}

/** Per revision of one bundle: how many clusters have it staged, deployed (given) and applied (running). */
export interface RevisionCounts {
  revision: string;
  staged: number;
  deployed: number;
  applied: number;
}

export async function readRevisionCounts(db: Db, bundleId: string): Promise<RevisionCounts[]> {
  return db.$queryRaw<RevisionCounts[]>`
    SELECT revision, sum(s)::int AS staged, sum(de)::int AS deployed, sum(a)::int AS applied FROM (
      SELECT staged_revision AS revision, 1 AS s, 0 AS de, 0 AS a FROM deployments WHERE bundle_id = ${bundleId}::uuid
      UNION ALL SELECT desired_revision, 0, 1, 0 FROM deployments WHERE bundle_id = ${bundleId}::uuid AND desired_revision IS NOT NULL
      UNION ALL SELECT applied_revision, 0, 0, 1 FROM deployments WHERE bundle_id = ${bundleId}::uuid AND applied_revision IS NOT NULL
    ) x GROUP BY revision ORDER BY sum(s) DESC, sum(de) DESC, revision`;
}
