import { describe, expect, it } from 'vitest';
import { pvcHealth } from './pvc.health.js';

const pvc = (phase: string | undefined) => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name: 'data-db-0', namespace: 'data' },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } }, storageClassName: 'standard', volumeName: 'pvc-1b2c' },
  status: phase ? { phase, accessModes: ['ReadWriteOnce'], capacity: { storage: '10Gi' } } : {},
});

describe('pvcHealth', () => {
  it('maps Bound, Pending and Lost', () => {
    expect(pvcHealth.assess(pvc('Bound'))).toEqual({ status: 'Healthy', message: 'Bound to pvc-1b2c' });
    expect(pvcHealth.assess(pvc('Pending')).status).toBe('Progressing');
    expect(pvcHealth.assess(pvc(undefined)).status).toBe('Progressing');
    expect(pvcHealth.assess(pvc('Lost')).status).toBe('Degraded');
  });
});
