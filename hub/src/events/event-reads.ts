import { Prisma } from '../generated/prisma/client.js';
import type { PrismaService } from '../database/prisma.service.js';
import { eventConditions, type EventFilter } from './event-filter.js';

type Db = Pick<PrismaService, '$queryRaw'>;

/** An event as readers get it; `id` is its seq (what Last-Event-ID and cursors carry). */
export interface FleetEventView {
  id: string;
  kind: string;
  at: string;
  bundle: string;
  cluster: string;
  gitRepo: string;
  severity: string;
  message: string;
  data: Record<string, unknown>;
}

/** Up to `limit` sequenced events after `after` (a seq), in seq order, matching the filter. */
export async function readEvents(db: Db, after: bigint, filter: EventFilter, limit: number): Promise<FleetEventView[]> {
  const where = [Prisma.sql`e.seq > ${after}`, ...eventConditions(filter)];
  const rows = await db.$queryRaw<{ seq: bigint; kind: string; at: Date; bundle: string; cluster: string; git_repo: string; severity: string; message: string; data: Record<string, unknown> }[]>`
    SELECT e.seq, e.kind, e.at, e.bundle, e.cluster, e.git_repo, e.severity, e.message, e.data FROM fleet_events e
    WHERE ${Prisma.join(where, ' AND ')} ORDER BY e.seq LIMIT ${limit}`;
  return rows.map((r) => ({ id: r.seq.toString(), kind: r.kind, at: r.at.toISOString(), bundle: r.bundle, cluster: r.cluster, gitRepo: r.git_repo, severity: r.severity, message: r.message, data: r.data }));
}

/** The highest seq given so far (where a stream without Last-Event-ID starts: new events only). */
export async function latestSeq(db: Db): Promise<bigint> {
  const [row] = await db.$queryRaw<{ s: bigint | null }[]>`SELECT max(seq) AS s FROM fleet_events`;
  return row?.s ?? 0n;
}
