import { DeploymentState } from '@flotilla/proto';
import { describe, expect, it } from 'vitest';
import { PROTO_STATE_SEVERITY, STATE_SEVERITY, stateName, worstState } from './deployment-state.order.js';

describe('deployment state order', () => {
  it('lists the states worst first, as Fleet summarises', () => {
    expect(STATE_SEVERITY).toEqual(['ErrApplied', 'WaitApplied', 'Modified', 'OutOfSync', 'Pending', 'NotReady', 'Ready']);
    expect(PROTO_STATE_SEVERITY[0]).toBe(DeploymentState.DEPLOYMENT_STATE_ERR_APPLIED);
    expect(PROTO_STATE_SEVERITY.at(-1)).toBe(DeploymentState.DEPLOYMENT_STATE_READY);
  });

  it('names proto states and knows no name for UNSPECIFIED', () => {
    expect(stateName(DeploymentState.DEPLOYMENT_STATE_OUT_OF_SYNC)).toBe('OutOfSync');
    expect(stateName(DeploymentState.DEPLOYMENT_STATE_UNSPECIFIED)).toBeUndefined();
    expect(stateName(DeploymentState.UNRECOGNIZED)).toBeUndefined();
  });

  it('takes the worst state, Ready when there is none', () => {
    expect(worstState([])).toBe(DeploymentState.DEPLOYMENT_STATE_READY);
    expect(worstState([DeploymentState.DEPLOYMENT_STATE_PENDING, DeploymentState.DEPLOYMENT_STATE_MODIFIED, DeploymentState.DEPLOYMENT_STATE_NOT_READY])).toBe(
      DeploymentState.DEPLOYMENT_STATE_MODIFIED,
    );
  });
});
