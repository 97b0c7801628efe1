import { Prisma } from '../generated/prisma/client.js';
import { requestBundleSetEvaluation } from '../database/bundleset-inputs.js';
import type { Db } from './desired-generation.js';

/** The tables whose rows carry a fan-out marker (`fanout_requested_at`). */
export type MarkedTable = 'bundles' | 'clusters';

/**
 * Fan-out markers: `fanout_requested_at` on a bundle or cluster says "its
 * deployments may not match it yet". A change stamps it in its own
 * transaction (PUT bundle, PATCH cluster labels; new rows by the column
 * default) and enqueues the fan-out; the fan-out clears it in the transaction
 * that computes the deployments; the repair sweep (FanoutRepair) runs the
 * fan-out itself for markers nobody cleared in time, whatever happened to the
 * job. Timestamps are the database's clock.
 */
export async function markFanout(db: Db, table: MarkedTable, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.$executeRaw`UPDATE ${Prisma.raw(table)} SET fanout_requested_at = now() WHERE id = ANY(${[...ids]}::uuid[])`;
  // A cluster that joined or changed labels may change what a `clusters` generator yields.
  if (table === 'clusters') await requestBundleSetEvaluation(db, { clusters: true, ids });
}

/** Marks every bundle (a change that may retarget any of them, such as a cluster group's). */
export async function markAllBundles(db: Db): Promise<void> {
  await db.$executeRaw`UPDATE bundles SET fanout_requested_at = now()`;
}

/**
 * Clears the marker a fan-out read at its start (as text: exact), unless a
 * change stamped it again meanwhile — then the marker stays for the fan-out
 * that change enqueued, or for the sweep.
 */
export async function clearFanoutMark(db: Db, table: MarkedTable, id: string, marker: string | null): Promise<void> {
  if (marker === null) return;
  await db.$executeRaw`
    UPDATE ${Prisma.raw(table)} SET fanout_requested_at = NULL
    WHERE id = ${id}::uuid AND fanout_requested_at = ${marker}::timestamp(6)`;
}

/**
 * Claims up to `limit` rows whose marker is older than `olderThanSeconds` by
 * stamping it again (rows locked by someone else are skipped), so that other
 * replicas' sweeps leave them alone for another period; returns their ids.
 */
export async function claimStaleMarks(db: Db, table: MarkedTable, olderThanSeconds: number, limit: number): Promise<string[]> {
  const t = Prisma.raw(table);
  const rows = await db.$queryRaw<{ id: string }[]>`
    UPDATE ${t} SET fanout_requested_at = now()
    WHERE id IN (
      SELECT id FROM ${t} WHERE fanout_requested_at < now() - make_interval(secs => ${olderThanSeconds})
      ORDER BY fanout_requested_at LIMIT ${limit} FOR NO KEY UPDATE SKIP LOCKED)
    RETURNING id::text AS id`;
  return rows.map((r) => r.id);
}
