/**
 * The hub's rollout shapes (hub/src/rollouts/rollout.api.ts, docs/rollouts.md):
 * only the fields the CLI reads. Kept beside the rollout command rather than in
 * hub/hub-api.types.ts so that this command's shapes change with it.
 */

export type RolloutState = 'Progressing' | 'Waiting' | 'Halted' | 'AwaitingApproval' | 'Paused' | 'OutsideWindow' | 'Completed' | 'Superseded';

export type PartitionState = 'Pending' | 'Rolling' | 'Done' | 'Halted' | 'AwaitingApproval';

/** A failed cluster of a partition (the hub names at most 20). */
export interface FailedCluster {
  cluster: string;
  state: string;
  message: string;
}

export interface PartitionStatus {
  name: string;
  state: PartitionState;
  /** Clusters in the partition. */
  count: number;
  /** How many may be not Ready on the new revision for the next partition to start. */
  maxUnavailable: number;
  /** Clusters not yet Ready on the new revision. */
  unavailable: number;
  failed: FailedCluster[];
  requireApproval: boolean;
  promoted: boolean;
}

/** One history entry: a rollout of one content. */
export interface Rollout {
  seq: number;
  state: RolloutState;
  message: string;
  /** `created`, `change`, `newContent`, `rollback to #N`, `unpin`. */
  cause: string;
  commit: string;
  revision: string | null;
  source: string | null;
  partitions: PartitionStatus[];
  promoted: string[];
  outcome: Record<string, unknown>;
  /** OutsideWindow: when the next delivery window opens (absent from hubs without delivery windows). */
  waitUntil?: string | null;
  createdAt: string;
  completedAt: string | null;
  updatedAt: string;
}

/** GET /api/v1/bundles/{name}/rollout, and the answer of every bundle rollout action. */
export interface BundleRollout {
  bundle: string;
  paused: boolean;
  pausedBy: Array<'api' | 'fleet.yaml' | 'gitRepo'>;
  /** `seq` null: the pinned entry is no longer in the history. */
  pinned: { seq: number | null; until: 'unpinned' | 'newContent' } | null;
  strategy: Record<string, unknown>;
  rollout: Rollout | null;
}
