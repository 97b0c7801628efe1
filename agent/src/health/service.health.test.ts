import { describe, expect, it } from 'vitest';
import { serviceHealth } from './service.health.js';

const service = (type: string, ingress?: unknown[]) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'shop' },
  spec: { type, selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }], clusterIP: '10.96.12.7' },
  status: { loadBalancer: ingress ? { ingress } : {} },
});

describe('serviceHealth', () => {
  it('is Healthy for ClusterIP, NodePort and ExternalName services', () => {
    for (const type of ['ClusterIP', 'NodePort', 'ExternalName']) expect(serviceHealth.assess(service(type)).status).toBe('Healthy');
  });

  it('waits for a LoadBalancer address', () => {
    expect(serviceHealth.assess(service('LoadBalancer')).status).toBe('Progressing');
    expect(serviceHealth.assess(service('LoadBalancer', [{ ip: '203.0.113.10', ipMode: 'VIP' }])).status).toBe('Healthy');
  });
});
