import { describe, expect, it } from 'vitest';
import { replicaSetHealth } from './replicaset.health.js';

function replicaSet(status: Record<string, unknown>) {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'web-7d9c', namespace: 'shop', generation: 1 },
    spec: { replicas: 2, selector: { matchLabels: { app: 'web' } } },
    status: { observedGeneration: 1, replicas: 2, fullyLabeledReplicas: 2, readyReplicas: 2, availableReplicas: 2, ...status },
  };
}

describe('replicaSetHealth', () => {
  it('is Healthy with all replicas available', () => {
    expect(replicaSetHealth.assess(replicaSet({})).status).toBe('Healthy');
  });

  it('is Progressing with too few available replicas or an unobserved generation', () => {
    expect(replicaSetHealth.assess(replicaSet({ availableReplicas: 1 })).status).toBe('Progressing');
    expect(replicaSetHealth.assess(replicaSet({ observedGeneration: 0 })).status).toBe('Progressing');
  });

  it('is Degraded on ReplicaFailure', () => {
    const failure = {
      type: 'ReplicaFailure',
      status: 'True',
      reason: 'FailedCreate',
      message: 'pods "web-7d9c-x" is forbidden: exceeded quota: compute',
    };
    expect(replicaSetHealth.assess(replicaSet({ availableReplicas: 0, conditions: [failure] }))).toEqual({
      status: 'Degraded',
      message: failure.message,
    });
  });
});
