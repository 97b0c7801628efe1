import { DeploymentState, type DeploymentStatus } from '@flotilla/proto';
import { describe, expect, it } from 'vitest';
import { validateReport } from './report.validation.js';

const status = (state: number): DeploymentStatus =>
  ({ deploymentId: 'd1', appliedRevision: '', state, reason: '', message: '', resources: [] }) as unknown as DeploymentStatus;

describe('validateReport', () => {
  it.each([DeploymentState.DEPLOYMENT_STATE_READY, DeploymentState.DEPLOYMENT_STATE_ERR_APPLIED])('accepts the known state %i', (state) => {
    expect(() => validateReport({ deployments: [status(state)] } as never)).not.toThrow();
  });

  it.each([DeploymentState.DEPLOYMENT_STATE_UNSPECIFIED, DeploymentState.UNRECOGNIZED, 8])('rejects state %i', (state) => {
    expect(() => validateReport({ deployments: [status(state)] } as never)).toThrow(
      expect.objectContaining({ reason: 'ValidationFailed', field: 'deployments[0].state' }),
    );
  });
});
