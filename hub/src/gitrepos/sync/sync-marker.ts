import type { Db } from '../../delivery/desired-generation.js';

/** The GitRepo's sync request marker as text (exact, for compare-and-clear), or null. */
export async function readSyncMarker(db: Db, id: string): Promise<string | null> {
  const rows = await db.$queryRaw<{ marker: string | null }[]>`SELECT sync_requested_at::text AS marker FROM git_repos WHERE id = ${id}::uuid`;
  return rows[0]?.marker ?? null;
}

/**
 * Clears the marker a sync read at its start, unless a request (webhook,
 * refresh, change) stamped it again meanwhile; true when it was cleared.
 */
export async function clearSyncMarker(db: Db, id: string, marker: string): Promise<boolean> {
  const n = await db.$executeRaw`UPDATE git_repos SET sync_requested_at = NULL WHERE id = ${id}::uuid AND sync_requested_at = ${marker}::timestamp(6)`;
  return n > 0;
}

/** Schedules the next poll one polling interval from now. */
export async function scheduleNextPoll(db: Db, id: string): Promise<void> {
  await db.$executeRaw`UPDATE git_repos SET next_poll_at = now() + make_interval(secs => polling_interval_seconds) WHERE id = ${id}::uuid`;
}

/**
 * Claims GitRepos that need a sync — a poll is due, or a request marker is
 * older than `staleSeconds` (its job was lost, or Redis was down) — by moving
 * their next poll one interval on (rows another replica holds are skipped);
 * returns their ids for queueing.
 */
export async function claimDueSyncs(db: Db, staleSeconds: number, limit: number): Promise<string[]> {
  const rows = await db.$queryRaw<{ id: string }[]>`
    UPDATE git_repos SET next_poll_at = now() + make_interval(secs => polling_interval_seconds)
    WHERE id IN (
      SELECT id FROM git_repos
      WHERE (sync_requested_at < now() - make_interval(secs => ${staleSeconds}))
         OR (NOT paused AND NOT disable_polling AND next_poll_at <= now())
      ORDER BY next_poll_at LIMIT ${limit} FOR NO KEY UPDATE SKIP LOCKED)
    RETURNING id::text AS id`;
  return rows.map((r) => r.id);
}
