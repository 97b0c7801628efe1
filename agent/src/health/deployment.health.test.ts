import { describe, expect, it } from 'vitest';
import { deploymentHealth } from './deployment.health.js';

/** A Deployment as the API server returns it mid-way or after a rollout. */
function deployment(spec: Record<string, unknown>, status: Record<string, unknown>, generation = 2) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop', generation, uid: '6c1f0a3e-2b7d-4f8e-9a51-0d3c2e1b4a77' },
    spec: {
      replicas: 3,
      progressDeadlineSeconds: 600,
      selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } },
      ...spec,
    },
    status,
  };
}

const complete = {
  observedGeneration: 2,
  replicas: 3,
  updatedReplicas: 3,
  readyReplicas: 3,
  availableReplicas: 3,
  conditions: [
    { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' },
    { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: 'ReplicaSet "web-7d9c" has successfully progressed.' },
  ],
};

describe('deploymentHealth', () => {
  it('is Healthy when every replica is updated and available', () => {
    expect(deploymentHealth.assess(deployment({}, complete)).status).toBe('Healthy');
  });

  it('is Progressing right after creation, before the controller has written a status', () => {
    const result = deploymentHealth.assess(deployment({}, {}, 1));
    expect(result.status).toBe('Progressing');
    expect(result.message).toMatch(/observe/);
  });

  it('is Progressing while the controller has not observed the latest generation', () => {
    expect(deploymentHealth.assess(deployment({}, { ...complete, observedGeneration: 1 })).status).toBe('Progressing');
  });

  it('is Progressing while new replicas are rolled out, old ones terminate, or updated ones become available', () => {
    const rolling = { ...complete, updatedReplicas: 1, replicas: 4 };
    expect(deploymentHealth.assess(deployment({}, rolling)).message).toMatch(/1 of 3 new replicas/);
    const terminating = { ...complete, replicas: 4 };
    expect(deploymentHealth.assess(deployment({}, terminating)).message).toMatch(/1 old replicas pending termination/);
    const unavailable = { ...complete, availableReplicas: 2 };
    expect(deploymentHealth.assess(deployment({}, unavailable))).toEqual({
      status: 'Progressing',
      message: 'Waiting for rollout: 2 of 3 updated replicas available',
    });
  });

  it('is Degraded once the progress deadline is exceeded', () => {
    const stuck = {
      ...complete,
      updatedReplicas: 1,
      availableReplicas: 2,
      conditions: [
        {
          type: 'Progressing',
          status: 'False',
          reason: 'ProgressDeadlineExceeded',
          message: 'ReplicaSet "web-5f8b" has timed out progressing.',
        },
      ],
    };
    expect(deploymentHealth.assess(deployment({}, stuck))).toEqual({
      status: 'Degraded',
      message: 'ReplicaSet "web-5f8b" has timed out progressing.',
    });
  });

  it('is Suspended when paused, whatever the rollout state', () => {
    expect(deploymentHealth.assess(deployment({ paused: true }, { observedGeneration: 1 })).status).toBe('Suspended');
  });

  it('counts a missing spec.replicas as the server default of 1', () => {
    const one = { observedGeneration: 2, replicas: 1, updatedReplicas: 1, availableReplicas: 1 };
    expect(deploymentHealth.assess(deployment({ replicas: undefined }, one)).status).toBe('Healthy');
  });

  it('is Healthy when scaled to zero', () => {
    expect(deploymentHealth.assess(deployment({ replicas: 0 }, { observedGeneration: 2 })).status).toBe('Healthy');
  });
});
