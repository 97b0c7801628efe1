import type { DeploymentAssignment, DesiredState } from '@flotilla/proto';

/** A cluster's desired state as read from PostgreSQL: its generation, then its assignments. */
export interface DesiredStateSnapshot {
  /** `cluster_generations.generation`, read before the assignments (so the assignments are at least this new). */
  generation: bigint;
  assignments: DeploymentAssignment[];
}

/**
 * Builds the DesiredState message (pure). The generation is the cluster's
 * counter in PostgreSQL, raised in the same transaction as every change to
 * its deployments: it only grows, so "newer" is a number comparison and is
 * the same on every hub replica.
 */
export function desiredState(snapshot: DesiredStateSnapshot): DesiredState {
  const sorted = [...snapshot.assignments].sort((a, b) => a.deploymentId.localeCompare(b.deploymentId));
  return { generation: snapshot.generation.toString(), deployments: sorted };
}

/**
 * Whether a stream must send the state at `generation` (pure). Before its
 * first send a stream compares with the generation the agent says it holds
 * (any string: older hubs sent hashes); after that only a strictly greater
 * generation is sent, so an older state never follows a newer one.
 */
export function mustSend(generation: bigint, lastSent: bigint | undefined, agentKnown: string): boolean {
  if (lastSent === undefined) return generation.toString() !== agentKnown;
  return generation > lastSent;
}
