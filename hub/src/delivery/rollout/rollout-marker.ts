import type { Db } from '../desired-generation.js';

/**
 * Rollout requests: `bundles.rollout_requested_at` says "plan this bundle's
 * rollout again" (a report from one of its clusters, a promote, a resume).
 * Whoever requests stamps it and queues a rollout job; the pass clears it if
 * nobody stamped it again meanwhile; the rollout scheduler runs the passes
 * whose request is older than FLOTILLA_ROLLOUT_RECHECK_SECONDS itself (the
 * job was lost: Redis flushed, hub killed), and re-stamps every unfinished
 * rollout that often (progress deadlines, delivery windows). Timestamps are
 * the database's clock.
 */
export async function requestRollouts(db: Db, bundleIds: readonly string[]): Promise<void> {
  if (bundleIds.length === 0) return;
  await db.$executeRaw`UPDATE bundles SET rollout_requested_at = now() WHERE id = ANY(${[...bundleIds]}::uuid[])`;
}

/**
 * After reports from clusters: requests the rollouts of their bundles that
 * still have something staged and not deployed (the report may be the Ready
 * that lets the next clusters go, or a dependency's). Returns their ids.
 * Rollouts with everything deployed are left to the scheduler's re-check
 * (their pass only records completion): a fleet's worth of Ready reports
 * after a default rollout costs no pass.
 */
export async function requestRolloutsAfterReport(db: Db, clusterIds: readonly string[]): Promise<string[]> {
  const rows = await db.$queryRaw<{ id: string }[]>`
    UPDATE bundles SET rollout_requested_at = now()
    WHERE rollout_pending AND id IN (SELECT bundle_id FROM deployments WHERE cluster_id = ANY(${clusterIds}::uuid[]))
    RETURNING id::text`;
  return rows.map((r) => r.id);
}

/** Clears the request a pass read at its start (as text: exact), unless it was stamped again meanwhile. */
export async function clearRolloutRequest(db: Db, bundleId: string, marker: string | null): Promise<void> {
  if (marker === null) return;
  await db.$executeRaw`
    UPDATE bundles SET rollout_requested_at = NULL WHERE id = ${bundleId}::uuid AND rollout_requested_at = ${marker}::timestamp(6)`;
}

/**
 * Claims up to `limit` bundles whose request is older than `olderThanSeconds`
 * (stamping them again so other replicas leave them alone), and stamps the
 * bundles of unfinished rollouts (something staged not deployed, or a
 * history entry not Completed) without a request; returns the claimed ids.
 */
export async function claimDueRollouts(db: Db, olderThanSeconds: number, limit: number): Promise<string[]> {
  await db.$executeRaw`
    UPDATE bundles SET rollout_requested_at = now()
    WHERE id IN (
      SELECT id FROM bundles WHERE rollout_requested_at IS NULL
        AND (rollout_pending OR id IN (SELECT bundle_id FROM rollouts WHERE state NOT IN ('Completed', 'Superseded')))
      FOR NO KEY UPDATE SKIP LOCKED)`;
  const rows = await db.$queryRaw<{ id: string }[]>`
    UPDATE bundles SET rollout_requested_at = now()
    WHERE id IN (
      SELECT id FROM bundles WHERE rollout_requested_at < now() - make_interval(secs => ${olderThanSeconds})
      ORDER BY rollout_requested_at LIMIT ${limit} FOR NO KEY UPDATE SKIP LOCKED)
    RETURNING id::text`;
  return rows.map((r) => r.id);
}
