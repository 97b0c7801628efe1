import { describe, expect, it } from 'vitest';
import { statefulSetHealth } from './statefulset.health.js';

function statefulSet(spec: Record<string, unknown>, status: Record<string, unknown>) {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'db', namespace: 'data', generation: 3 },
    spec: {
      replicas: 3,
      serviceName: 'db',
      selector: { matchLabels: { app: 'db' } },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'pg', image: 'postgres:16' }] } },
      ...spec,
    },
    status: {
      observedGeneration: 3,
      replicas: 3,
      readyReplicas: 3,
      currentReplicas: 3,
      updatedReplicas: 3,
      availableReplicas: 3,
      currentRevision: 'db-6b8f9c7d5',
      updateRevision: 'db-6b8f9c7d5',
      collisionCount: 0,
      ...status,
    },
  };
}

describe('statefulSetHealth', () => {
  it('is Healthy when all pods are ready at the current revision', () => {
    expect(statefulSetHealth.assess(statefulSet({}, {}))).toEqual({
      status: 'Healthy',
      message: '3 pods ready at revision db-6b8f9c7d5',
    });
  });

  it('is Progressing before the controller observes the spec', () => {
    expect(statefulSetHealth.assess(statefulSet({}, { observedGeneration: 2 })).status).toBe('Progressing');
    const fresh = { ...statefulSet({}, {}), status: {} };
    expect(statefulSetHealth.assess(fresh).status).toBe('Progressing');
  });

  it('is Progressing while pods are not ready', () => {
    expect(statefulSetHealth.assess(statefulSet({}, { readyReplicas: 1 })).message).toBe('Waiting for pods: 1 of 3 ready');
  });

  it('is Progressing during a rolling update (revisions differ)', () => {
    const rolling = statefulSet({}, { updateRevision: 'db-7c9d8e6f4', updatedReplicas: 1, currentReplicas: 2 });
    expect(statefulSetHealth.assess(rolling).status).toBe('Progressing');
  });

  it('with a partition, is Healthy once the pods above it are updated, although revisions still differ', () => {
    const spec = { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } };
    const partial = { updateRevision: 'db-7c9d8e6f4', updatedReplicas: 1, currentReplicas: 2 };
    expect(statefulSetHealth.assess(statefulSet(spec, partial)).status).toBe('Healthy');
    expect(statefulSetHealth.assess(statefulSet(spec, { ...partial, updatedReplicas: 0 })).status).toBe('Progressing');
  });

  it('with OnDelete, is Healthy but says which pods still run an older revision', () => {
    const onDelete = statefulSet(
      { updateStrategy: { type: 'OnDelete' } },
      { updateRevision: 'db-7c9d8e6f4', updatedReplicas: 1, currentReplicas: 2 },
    );
    const result = statefulSetHealth.assess(onDelete);
    expect(result.status).toBe('Healthy');
    expect(result.message).toMatch(/2 still run an older revision/);
  });
});
