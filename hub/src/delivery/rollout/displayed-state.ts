import { Prisma } from '../../generated/prisma/client.js';

/**
 * The state a deployment shows (docs/rollouts.md), as SQL over `deployments`
 * aliased `alias`: `Pending` until the rollout first deploys it, `OutOfSync`
 * while it is Ready on an older deployed value than the staged one, else what
 * its agent reported.
 */
export function displayedStateSql(alias: string): Prisma.Sql {
  const a = Prisma.raw(alias);
  return Prisma.sql`(CASE
    WHEN ${a}.desired_revision IS NULL THEN 'Pending'
    WHEN ${a}.state = 'Ready' AND (${a}.desired_revision IS DISTINCT FROM ${a}.staged_revision
      OR ${a}.render_key IS DISTINCT FROM ${a}.staged_render_key OR ${a}.options::jsonb IS DISTINCT FROM ${a}.staged_options::jsonb) THEN 'OutOfSync'
    ELSE ${a}.state::text END)`;
}
