import type { KubernetesObject } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { describeUnhealthy, gateHealth, passesGate } from './health-gate.js';

const deployment = (status: object, spec: object = {}): KubernetesObject =>
  ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', generation: 1 }, spec: { replicas: 1, ...spec }, status: { observedGeneration: 1, ...status } }) as KubernetesObject;
const ref = (name: string) => ({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name });

describe('health gate between waves and before PostSync', () => {
  it('lets Healthy and Suspended objects pass, nothing else', () => {
    expect(passesGate({ status: 'Healthy', message: '' })).toBe(true);
    expect(passesGate({ status: 'Suspended', message: 'paused' })).toBe(true);
    for (const status of ['Progressing', 'Degraded', 'Missing', 'Unknown'] as const) expect(passesGate({ status, message: '' })).toBe(false);
  });

  it('assesses with the agent’s health checks, leaving ignored conditions out', () => {
    expect(gateHealth(deployment({ replicas: 1, updatedReplicas: 1, availableReplicas: 1 }), [])).toMatchObject({ status: 'Healthy' });
    expect(gateHealth(deployment({ replicas: 1, updatedReplicas: 1, availableReplicas: 0 }), [])).toMatchObject({ status: 'Progressing' });
    expect(gateHealth(deployment({}, { paused: true }), [])).toMatchObject({ status: 'Suspended' });
    expect(gateHealth(undefined, [])).toMatchObject({ status: 'Missing' });
    const stalled = { apiVersion: 'example.com/v1', kind: 'Gadget', metadata: { name: 'g' }, status: { conditions: [{ type: 'Ready', status: 'False', reason: 'Stalled' }] } };
    expect(passesGate(gateHealth(stalled, []))).toBe(false);
    expect(passesGate(gateHealth(stalled, [{ fields: { type: 'Ready', reason: 'Stalled' } }]))).toBe(true);
  });

  it('names the objects that held the gate, at most five', () => {
    expect(describeUnhealthy([{ ref: ref('web'), health: { status: 'Progressing', message: 'Waiting for rollout' } }])).toBe('Deployment shop/web (Progressing: Waiting for rollout)');
    const many = Array.from({ length: 7 }, (_, i) => ({ ref: ref(`d${i}`), health: { status: 'Missing' as const, message: '' } }));
    expect(describeUnhealthy(many)).toBe('Deployment shop/d0 (Missing), Deployment shop/d1 (Missing), Deployment shop/d2 (Missing), Deployment shop/d3 (Missing), Deployment shop/d4 (Missing) and 2 more');
  });
});
