import { describe, expect, it } from 'vitest';
import { daemonSetHealth } from './daemonset.health.js';

function daemonSet(strategy: string, status: Record<string, unknown>) {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'node-exporter', namespace: 'monitoring', generation: 4 },
    spec: {
      selector: { matchLabels: { app: 'node-exporter' } },
      updateStrategy: { type: strategy },
      template: { metadata: { labels: { app: 'node-exporter' } }, spec: { containers: [{ name: 'x', image: 'prom/node-exporter' }] } },
    },
    status: {
      observedGeneration: 4,
      currentNumberScheduled: 5,
      desiredNumberScheduled: 5,
      numberMisscheduled: 0,
      numberReady: 5,
      numberAvailable: 5,
      updatedNumberScheduled: 5,
      ...status,
    },
  };
}

describe('daemonSetHealth', () => {
  it('is Healthy when every node runs an updated, available pod', () => {
    expect(daemonSetHealth.assess(daemonSet('RollingUpdate', {}))).toEqual({ status: 'Healthy', message: '5 of 5 pods available' });
  });

  it('is Progressing until the generation is observed, pods are updated and available', () => {
    expect(daemonSetHealth.assess(daemonSet('RollingUpdate', { observedGeneration: 3 })).status).toBe('Progressing');
    expect(daemonSetHealth.assess(daemonSet('RollingUpdate', { updatedNumberScheduled: 2 })).message).toMatch(/2 of 5 pods updated/);
    expect(daemonSetHealth.assess(daemonSet('RollingUpdate', { numberAvailable: 4 })).message).toMatch(/4 of 5 pods available/);
  });

  it('with OnDelete, does not wait for pods to be replaced', () => {
    expect(daemonSetHealth.assess(daemonSet('OnDelete', { updatedNumberScheduled: 2 })).status).toBe('Healthy');
  });
});
