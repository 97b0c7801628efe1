import { PROTO_STATE_SEVERITY, STATE_SEVERITY as STATES_WORST_FIRST, stateName } from '@flotilla/core';
import type { DeploymentState } from '../generated/prisma/client.js';

/** Agent (proto) state → stored state; names and order come from the proto enum (@flotilla/core). */
export const FROM_PROTO: Record<number, DeploymentState> = Object.fromEntries(PROTO_STATE_SEVERITY.map((s) => [s, stateName(s)!]));

/** Worst first, as Fleet summarises: the order used when aggregating. */
export const STATE_SEVERITY: DeploymentState[] = STATES_WORST_FIRST;

/**
 * The state to store for a report (pure). A report about an older revision
 * than the desired one means the agent has not applied the new one yet: the
 * deployment stays WaitApplied unless applying failed.
 */
export function reportedState(desiredRevision: string, reportedRevision: string, state: DeploymentState): DeploymentState {
  if (reportedRevision !== desiredRevision && state !== 'ErrApplied') return 'WaitApplied';
  return state;
}

export function countByState(states: DeploymentState[]): Record<DeploymentState, number> {
  const counts = Object.fromEntries(STATE_SEVERITY.map((s) => [s, 0])) as Record<DeploymentState, number>;
  for (const s of states) counts[s]++;
  return counts;
}
