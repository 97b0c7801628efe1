import { DeploymentState } from '@flotilla/proto';
import { describe, expect, it } from 'vitest';
import { storedReport } from './stored-report.js';

const report = {
  deploymentId: 'd1',
  appliedRevision: 'r1',
  state: DeploymentState.DEPLOYMENT_STATE_READY,
  reason: '',
  message: '',
  resources: [{ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'a', name: 'b', state: DeploymentState.DEPLOYMENT_STATE_READY, message: '', diffs: [] }],
};

describe('storedReport', () => {
  it('gives an unchanged report the same hash', () => {
    expect(storedReport('r1', report).hash).toBe(storedReport('r1', { ...report, resources: [...report.resources] }).hash);
  });
  it('changes the hash when anything stored changes', () => {
    const base = storedReport('r1', report).hash;
    expect(storedReport('r1', { ...report, message: 'x' }).hash).not.toBe(base);
    expect(storedReport('r1', { ...report, state: DeploymentState.DEPLOYMENT_STATE_NOT_READY }).hash).not.toBe(base);
    expect(storedReport('r1', { ...report, resources: [{ ...report.resources[0]!, message: 'drift' }] }).hash).not.toBe(base);
    // Same report, but the desired revision moved on: stored as WaitApplied, so it is a change.
    const waiting = storedReport('r2', report);
    expect(waiting.state).toBe('WaitApplied');
    expect(waiting.hash).not.toBe(base);
  });
});
