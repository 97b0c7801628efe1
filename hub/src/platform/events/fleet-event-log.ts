import { Prisma, type PrismaClient } from '../../generated/prisma/client.js';
import { wakeSignals } from '../schedule/wake-signal.js';

/** A Prisma client or interactive transaction. */
type Db = Pick<PrismaClient, '$executeRaw'>;

/**
 * Kinds of fleet events (docs/events.md): what the live stream and the
 * webhook subscriptions filter on.
 */
export const FLEET_EVENT_KINDS = [
  'rollout.started',
  'rollout.partition',
  'rollout.halted',
  'rollout.resumed',
  'rollout.paused',
  'rollout.promoted',
  'rollout.completed',
  'rollout.rolledBack',
  'rollout.unpinned',
  'deployment.state',
  'deployment.errApplied',
  'drift.detected',
  'cluster.offline',
  'cluster.online',
] as const;

export type FleetEventKind = (typeof FLEET_EVENT_KINDS)[number];

export type FleetEventSeverity = 'info' | 'warning' | 'error';

export interface FleetEventInput {
  kind: FleetEventKind;
  bundle?: string;
  cluster?: string;
  gitRepo?: string;
  severity?: FleetEventSeverity;
  message: string;
  data?: Record<string, unknown>;
}

/**
 * Appends events to the fleet event log, in the caller's transaction: an
 * event exists exactly when the change it describes committed. Wakes this
 * process's event sequencer and webhook dispatch from their idle back-off.
 */
export async function appendEvents(db: Db, events: readonly FleetEventInput[]): Promise<void> {
  if (events.length === 0) return;
  await db.$executeRaw`
    INSERT INTO fleet_events (kind, bundle, cluster, git_repo, severity, message, data)
    SELECT kind, bundle, cluster, git_repo, severity, message, data FROM ${eventRows(events)}`;
  wakeSignals.fleetEvents.notify();
}

/**
 * The events as rows `e(kind, bundle, cluster, git_repo, severity, message, data, ref)` for an INSERT … SELECT;
 * `ref` is the caller's key of each event (e.g. the deployment it is about), to join it with what a statement
 * wrote (status reports insert the events of the rows their UPDATE changed, in the same statement).
 */
export function eventRows(events: readonly FleetEventInput[], refs: readonly string[] = []): Prisma.Sql {
  const col = <K extends keyof FleetEventInput>(k: K, fallback: string) => events.map((e) => (e[k] as string | undefined) ?? fallback);
  return Prisma.sql`unnest(${col('kind', '')}::text[], ${col('bundle', '')}::text[], ${col('cluster', '')}::text[],
                           ${col('gitRepo', '')}::text[], ${col('severity', 'info')}::text[], ${col('message', '')}::text[],
                           ${events.map((e) => JSON.stringify(e.data ?? {}))}::jsonb[], ${events.map((_, i) => refs[i] ?? '')}::text[])
           AS e(kind, bundle, cluster, git_repo, severity, message, data, ref)`;
}
