import { DeploymentState as ProtoState } from '@flotilla/proto';
import type { DeploymentState } from '../generated/prisma/client.js';

/** Agent (proto) state → stored state. */
export const FROM_PROTO: Record<number, DeploymentState> = {
  [ProtoState.DEPLOYMENT_STATE_READY]: 'Ready',
  [ProtoState.DEPLOYMENT_STATE_NOT_READY]: 'NotReady',
  [ProtoState.DEPLOYMENT_STATE_PENDING]: 'Pending',
  [ProtoState.DEPLOYMENT_STATE_OUT_OF_SYNC]: 'OutOfSync',
  [ProtoState.DEPLOYMENT_STATE_MODIFIED]: 'Modified',
  [ProtoState.DEPLOYMENT_STATE_WAIT_APPLIED]: 'WaitApplied',
  [ProtoState.DEPLOYMENT_STATE_ERR_APPLIED]: 'ErrApplied',
};

/** Worst first, as Fleet summarises: the order used when aggregating. */
export const STATE_SEVERITY: DeploymentState[] = ['ErrApplied', 'WaitApplied', 'Modified', 'OutOfSync', 'Pending', 'NotReady', 'Ready'];

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
