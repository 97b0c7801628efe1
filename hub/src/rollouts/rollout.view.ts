import type { PartitionStatus } from '../delivery/rollout/plan/rollout-plan.js';

/** A `rollouts` row as Prisma returns it. */
export interface RolloutRecord {
  seq: number;
  state: string;
  message: string;
  cause: string;
  commit: string;
  revisionId: string | null;
  sourceId: string | null;
  partitions: unknown;
  promoted: string[];
  outcome: unknown;
  waitUntil: Date | null;
  createdAt: Date;
  completedAt: Date | null;
  updatedAt: Date;
}

export interface RolloutView {
  seq: number;
  state: string;
  message: string;
  cause: string;
  commit: string;
  revision: string | null;
  source: string | null;
  partitions: PartitionStatus[];
  promoted: string[];
  outcome: Record<string, unknown>;
  /** Outside every delivery window: when the next opens. */
  waitUntil: string | null;
  createdAt: string;
  completedAt: string | null;
  updatedAt: string;
}

export function rolloutView(r: RolloutRecord): RolloutView {
  return {
    seq: r.seq,
    state: r.state,
    message: r.message,
    cause: r.cause,
    commit: r.commit,
    revision: r.revisionId,
    source: r.sourceId,
    partitions: r.partitions as PartitionStatus[],
    promoted: r.promoted,
    outcome: r.outcome as Record<string, unknown>,
    waitUntil: r.waitUntil?.toISOString() ?? null,
    createdAt: r.createdAt.toISOString(),
    completedAt: r.completedAt?.toISOString() ?? null,
    updatedAt: r.updatedAt.toISOString(),
  };
}
