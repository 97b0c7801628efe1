import type { Prisma } from '../generated/prisma/client.js';

type Db = Pick<Prisma.TransactionClient, '$queryRaw'> & { $transaction: <T>(fn: (tx: Prisma.TransactionClient) => Promise<T>) => Promise<T> };

/** pg advisory lock key of the sequencer (one sequencer at a time across replicas). */
const LOCK = 0x666c6576; // "flev"
/** Events sequenced per call at most; the rest at the next call. */
const BATCH = 10_000;

/**
 * Gives committed events their `seq`, in id order, after every seq given so
 * far. Event ids come from a sequence, so they are not commit-ordered: a
 * reader that paged by id could return 6 (committed) and never see 5 (its
 * transaction still open). Only committed rows are visible here, and any
 * event that commits later gets a higher seq than everything sequenced now,
 * so a reader paging by seq never skips one. One sequencer at a time
 * (`pg_try_advisory_xact_lock`; the others return 0 at once); returns how
 * many it sequenced.
 */
export async function sequenceEvents(db: Db): Promise<number> {
  return db.$transaction(async (tx) => {
    const [{ locked }] = (await tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(${LOCK}) AS locked`) as [{ locked: boolean }];
    if (!locked) return 0;
    const rows = await tx.$queryRaw<{ n: number }[]>`
      WITH base AS (SELECT coalesce(max(seq), 0) AS b FROM fleet_events),
           next AS (SELECT id, row_number() OVER (ORDER BY id) AS rn FROM fleet_events WHERE seq IS NULL ORDER BY id LIMIT ${BATCH}),
           done AS (UPDATE fleet_events e SET seq = base.b + next.rn FROM next, base WHERE e.id = next.id RETURNING 1)
      SELECT count(*)::int AS n FROM done`;
    return rows[0]?.n ?? 0;
  });
}
