import { describe, expect, it } from 'vitest';
import { namespaceHealth } from './namespace.health.js';

const ns = (phase?: string) => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name: 'shop', labels: { 'kubernetes.io/metadata.name': 'shop' } },
  spec: { finalizers: ['kubernetes'] },
  status: phase ? { phase } : {},
});

describe('namespaceHealth', () => {
  it('is Healthy when Active and Progressing when Terminating', () => {
    expect(namespaceHealth.assess(ns('Active')).status).toBe('Healthy');
    expect(namespaceHealth.assess(ns('Terminating')).status).toBe('Progressing');
    expect(namespaceHealth.assess(ns()).status).toBe('Progressing');
  });
});
