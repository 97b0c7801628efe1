import { describe, expect, it } from 'vitest';
import { assessHealth, groupOf, healthCheckFor, worstHealth } from './health.registry.js';
import { HEALTH_ORDER, type HealthResult, type HealthStatus } from './health.types.js';
import { deploymentHealth } from './deployment.health.js';
import { genericHealth } from './generic.health.js';

const r = (status: HealthStatus, message: string = status): HealthResult => ({ status, message });

describe('assessHealth', () => {
  it('is Missing for an object that does not exist', () => {
    expect(assessHealth(undefined).status).toBe('Missing');
  });

  it('dispatches by API group and kind', () => {
    expect(healthCheckFor('apps', 'Deployment')).toBe(deploymentHealth);
    expect(healthCheckFor('', 'Deployment')).toBe(genericHealth);
    expect(healthCheckFor('example.com', 'Widget')).toBe(genericHealth);
    const pvc = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'x' }, status: { phase: 'Lost' } };
    expect(assessHealth(pvc).status).toBe('Degraded');
  });

  it('reports an object being deleted as Progressing', () => {
    const ns = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', deletionTimestamp: new Date() } };
    expect(assessHealth(ns)).toEqual({ status: 'Progressing', message: 'Pending deletion' });
  });

  it('turns a check that throws into Unknown', () => {
    const hostile = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'x' },
      get spec(): never {
        throw new Error('boom');
      },
    };
    expect(assessHealth(hostile)).toEqual({ status: 'Unknown', message: 'Health check failed: boom' });
  });

  it('derives the group from apiVersion', () => {
    expect(groupOf('apps/v1')).toBe('apps');
    expect(groupOf('v1')).toBe('');
    expect(groupOf(undefined)).toBe('');
  });
});

describe('worstHealth', () => {
  it('orders Healthy < Suspended < Progressing < Unknown < Missing < Degraded', () => {
    expect(HEALTH_ORDER).toEqual(['Healthy', 'Suspended', 'Progressing', 'Unknown', 'Missing', 'Degraded']);
    for (let i = 1; i < HEALTH_ORDER.length; i++) {
      const better = HEALTH_ORDER[i - 1] as HealthStatus;
      const worse = HEALTH_ORDER[i] as HealthStatus;
      expect(worstHealth([r(better), r(worse)]).status).toBe(worse);
      expect(worstHealth([r(worse), r(better)]).status).toBe(worse);
    }
  });

  it('keeps the first of equally bad results, and is Healthy for none', () => {
    expect(worstHealth([r('Progressing', 'a'), r('Healthy'), r('Progressing', 'b')]).message).toBe('a');
    expect(worstHealth([])).toEqual({ status: 'Healthy', message: '' });
  });
});
