import { describe, expect, it } from 'vitest';
import { ingressHealth } from './ingress.health.js';

const ingress = (addresses?: unknown[]) => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name: 'web', namespace: 'shop', generation: 1 },
  spec: {
    ingressClassName: 'nginx',
    rules: [{ host: 'shop.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }],
  },
  status: { loadBalancer: addresses ? { ingress: addresses } : {} },
});

describe('ingressHealth', () => {
  it('is Healthy once an address is published, Progressing before', () => {
    expect(ingressHealth.assess(ingress([{ hostname: 'lb-123.elb.example.com' }])).status).toBe('Healthy');
    expect(ingressHealth.assess(ingress()).status).toBe('Progressing');
    expect(ingressHealth.assess(ingress([])).status).toBe('Progressing');
  });
});
