import type { Db } from '../../delivery/desired-generation.js';
import { wakeSignals } from '../../platform/schedule/wake-signal.js';

/** A requested evaluation: its marker (exact, for compare-and-clear) and what it must cover. */
export interface EvaluationRequest {
  marker: string;
  /** Everything, or only `clusterIds` (clusters that joined, changed labels or left). */
  full: boolean;
  clusterIds: string[];
}

/** The BundleSet's evaluation request, or null when none is pending. */
export async function readEvaluationRequest(db: Db, id: string): Promise<EvaluationRequest | null> {
  const rows = await db.$queryRaw<{ marker: string | null; full: boolean; ids: string[] }[]>`
    SELECT evaluation_requested_at::text AS marker, pending_full AS full, pending_cluster_ids::text[] AS ids FROM bundle_sets WHERE id = ${id}::uuid`;
  const row = rows[0];
  return row?.marker ? { marker: row.marker, full: row.full, clusterIds: [...new Set(row.ids)] } : null;
}

/**
 * Clears the request an evaluation read at its start, unless an input
 * changed again meanwhile (then it stays, with what was added, for the next
 * run); true when cleared.
 */
export async function clearEvaluationRequest(db: Db, id: string, marker: string): Promise<boolean> {
  const n = await db.$executeRaw`
    UPDATE bundle_sets SET evaluation_requested_at = NULL, pending_full = false, pending_cluster_ids = '{}'
    WHERE id = ${id}::uuid AND evaluation_requested_at = ${marker}::timestamp(6)`;
  return n > 0;
}

/** Stamps a BundleSet for a full evaluation (an edit, an approval, a refresh). */
export async function requestEvaluation(db: Db, id: string): Promise<void> {
  await db.$executeRaw`UPDATE bundle_sets SET evaluation_requested_at = now(), pending_full = true WHERE id = ${id}::uuid`;
  wakeSignals.bundleSetEvaluations.notify();
}

/** Moves a request `seconds` into the future: an evaluation that failed unexpectedly (the database went away) is retried then. */
export async function deferEvaluation(db: Db, id: string, seconds: number): Promise<void> {
  await db.$executeRaw`UPDATE bundle_sets SET evaluation_requested_at = now() + make_interval(secs => ${seconds}) WHERE id = ${id}::uuid`;
}

/** The BundleSets waiting for an evaluation that is due, oldest request first. */
export async function requestedEvaluations(db: Db, limit: number): Promise<string[]> {
  const rows = await db.$queryRaw<{ id: string }[]>`
    SELECT id::text AS id FROM bundle_sets WHERE evaluation_requested_at <= now()
    ORDER BY evaluation_requested_at LIMIT ${limit}`;
  return rows.map((r) => r.id);
}
