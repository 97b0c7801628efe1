import { describe, expect, it } from 'vitest';
import { apiServiceHealth } from './apiservice.health.js';

const apiService = (conditions?: unknown[]) => ({
  apiVersion: 'apiregistration.k8s.io/v1',
  kind: 'APIService',
  metadata: { name: 'v1beta1.metrics.k8s.io' },
  spec: { group: 'metrics.k8s.io', version: 'v1beta1', groupPriorityMinimum: 100, versionPriority: 100, service: { name: 'metrics-server', namespace: 'kube-system', port: 443 } },
  status: conditions ? { conditions } : {},
});

describe('apiServiceHealth', () => {
  it('is Healthy when Available', () => {
    expect(apiServiceHealth.assess(apiService([{ type: 'Available', status: 'True', reason: 'Passed', message: 'all checks passed' }]))).toEqual({
      status: 'Healthy',
      message: 'Passed: all checks passed',
    });
  });

  it('is Progressing while not available or not checked yet', () => {
    const missing = { type: 'Available', status: 'False', reason: 'MissingEndpoints', message: 'endpoints for service/metrics-server in "kube-system" have no addresses' };
    expect(apiServiceHealth.assess(apiService([missing])).status).toBe('Progressing');
    expect(apiServiceHealth.assess(apiService()).status).toBe('Progressing');
  });
});
