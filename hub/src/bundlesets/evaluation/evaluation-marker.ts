import type { Db } from '../../delivery/desired-generation.js';

/** The BundleSet's evaluation request marker as text (exact, for compare-and-clear), or null. */
export async function readEvaluationMarker(db: Db, id: string): Promise<string | null> {
  const rows = await db.$queryRaw<{ marker: string | null }[]>`SELECT evaluation_requested_at::text AS marker FROM bundle_sets WHERE id = ${id}::uuid`;
  return rows[0]?.marker ?? null;
}

/** Clears the marker an evaluation read at its start, unless an input changed again meanwhile; true when cleared. */
export async function clearEvaluationMarker(db: Db, id: string, marker: string): Promise<boolean> {
  const n = await db.$executeRaw`UPDATE bundle_sets SET evaluation_requested_at = NULL WHERE id = ${id}::uuid AND evaluation_requested_at = ${marker}::timestamp(6)`;
  return n > 0;
}

/** Stamps a BundleSet for evaluation (an edit, an approval, a refresh). */
export async function requestEvaluation(db: Db, id: string): Promise<void> {
  await db.$executeRaw`UPDATE bundle_sets SET evaluation_requested_at = now() WHERE id = ${id}::uuid`;
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
