import { describe, expect, it } from 'vitest';
import { genericHealth } from './generic.health.js';

/** A Flux-style custom resource with metav1.Conditions. */
function custom(status: Record<string, unknown>, generation = 2) {
  return {
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: { name: 'podinfo', namespace: 'apps', generation },
    spec: { interval: '5m', chart: { spec: { chart: 'podinfo', version: '6.x' } } },
    status,
  };
}

const ready = (status: string, reason: string, observedGeneration = 2) => ({
  type: 'Ready',
  status,
  reason,
  message: `${reason} message`,
  observedGeneration,
  lastTransitionTime: '2025-05-04T10:00:00Z',
});

describe('genericHealth', () => {
  it('is Healthy for objects without status (ConfigMaps, Secrets, …)', () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'shop' }, data: { a: '1' } };
    expect(genericHealth.assess(cm)).toEqual({ status: 'Healthy', message: '' });
  });

  it('follows Ready: True → Healthy, Unknown → Progressing', () => {
    expect(genericHealth.assess(custom({ observedGeneration: 2, conditions: [ready('True', 'InstallSucceeded')] })).status).toBe('Healthy');
    expect(genericHealth.assess(custom({ observedGeneration: 2, conditions: [ready('Unknown', 'Progressing')] })).status).toBe('Progressing');
  });

  it('reads Ready=False as Progressing or Degraded by its reason', () => {
    const cases: [string, string][] = [
      ['Progressing', 'Progressing'],
      ['DependencyNotReady', 'Progressing'],
      ['Installing', 'Progressing'],
      ['InstallFailed', 'Degraded'],
      ['UpgradeFailed', 'Degraded'],
      ['ArtifactFailed', 'Degraded'],
      ['ReconciliationFailed', 'Degraded'],
      ['', 'Degraded'],
    ];
    for (const [reason, expected] of cases) {
      const result = genericHealth.assess(custom({ observedGeneration: 2, conditions: [ready('False', reason)] }));
      expect(result.status, reason).toBe(expected);
    }
  });

  it('falls back to Available when there is no Ready condition', () => {
    const hpaLike = { conditions: [{ type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' }] };
    expect(genericHealth.assess(custom(hpaLike)).status).toBe('Healthy');
  });

  it('is Progressing while status.observedGeneration lags metadata.generation', () => {
    const result = genericHealth.assess(custom({ observedGeneration: 1, conditions: [ready('True', 'InstallSucceeded')] }));
    expect(result).toEqual({ status: 'Progressing', message: 'Waiting for the controller to observe generation 2 (observed 1)' });
  });

  it('is Progressing when the Ready condition was computed for an older generation', () => {
    expect(genericHealth.assess(custom({ conditions: [ready('True', 'InstallSucceeded', 1)] })).status).toBe('Progressing');
  });

  it('honours kstatus Stalled and Reconciling', () => {
    const stalled = { type: 'Stalled', status: 'True', reason: 'InvalidChartReference', message: 'chart not found' };
    expect(genericHealth.assess(custom({ conditions: [stalled, ready('False', 'Progressing')] })).status).toBe('Degraded');
    const reconciling = { type: 'Reconciling', status: 'True', reason: 'Progressing', message: 'upgrading' };
    expect(genericHealth.assess(custom({ conditions: [reconciling, ready('True', 'UpgradeSucceeded')] })).status).toBe('Progressing');
  });
});
