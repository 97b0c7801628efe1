import type { IntOrPercent, RolloutPartition, RolloutStrategy } from '@flotilla/render';

export type { IntOrPercent, RolloutStrategy };
export type PartitionSpec = RolloutPartition;

export const ROLLOUT_DEFAULTS = {
  maxUnavailable: '100%',
  maxUnavailablePartitions: 0,
  autoPartitionSize: '25%',
  autoPartitionThreshold: 200,
  maxNew: 50,
  progressDeadlineSeconds: 600,
} as const;

/** Thrown for a strategy value that is neither a count nor a percentage. */
export class RolloutStrategyError extends Error {
  readonly reason = 'InvalidRolloutStrategy';
}

/**
 * Fleet's `limit` (internal/cmd/controller/target/status.go): a count is
 * clamped to [0, count]; a percentage of `count` is rounded down, and at
 * least 1; an empty set gives 1.
 */
export function limit(count: number, value: IntOrPercent | undefined, fallback: IntOrPercent, field = 'maxUnavailable'): number {
  if (count <= 0) return 1;
  const v = value ?? fallback;
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) throw new RolloutStrategyError(`${field}: ${v} is not a whole number`);
    return Math.min(Math.max(v, 0), count);
  }
  const m = /^(\d+(?:\.\d+)?)%$/.exec(v.trim());
  if (!m) throw new RolloutStrategyError(`${field}: "${v}" must be a number or a percentage such as "25%"`);
  const i = Math.floor((count * Number(m[1])) / 100);
  return Math.min(Math.max(i, 1), count);
}

/** What decides whether a rollout has anything to decide. */
export interface RolloutSettingsLike {
  strategy: RolloutStrategy;
  paused: boolean;
  dependsOn: readonly unknown[];
  windows: readonly unknown[];
}

/**
 * True when the planner would deploy every staged revision at once: no named
 * partitions, maxUnavailable 100 % (so neither the in-flight budget nor any
 * auto-partition gate can hold a cluster), not paused, no dependsOn, no
 * delivery window. maxNew only splits that into passes run back to back.
 */
export function deploysAtOnce(s: RolloutSettingsLike): boolean {
  const mu = s.strategy.maxUnavailable;
  return !s.paused && s.dependsOn.length === 0 && s.windows.length === 0 && !s.strategy.partitions?.length && (mu === undefined || mu === '100%');
}
