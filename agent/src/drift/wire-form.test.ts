import { V1Deployment } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { toClientObject, toWireObject } from './wire-form.js';

const crd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com',
    names: { kind: 'Widget', plural: 'widgets' },
    scope: 'Namespaced',
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
      },
    ],
  },
};

describe('wire form', () => {
  it('turns a manifest into the client model so that renamed fields survive serialization', () => {
    const typed = toClientObject(crd);
    const schema = (typed as any).spec.versions[0].schema.openAPIV3Schema;
    expect(schema.x_kubernetes_preserve_unknown_fields).toBe(true);
    expect(toWireObject(typed)).toEqual(crd);
  });

  it('leaves client models as they are', () => {
    const typed = new V1Deployment();
    expect(toClientObject(typed)).toBe(typed);
  });

  it('turns a client model into plain JSON with wire names and RFC 3339 dates', () => {
    const typed = toClientObject({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', creationTimestamp: '2025-05-04T10:00:00Z' },
      spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { spec: { containers: [{ name: 'web', image: 'nginx' }] } } },
    } as any);
    expect(typed.metadata?.creationTimestamp).toBeInstanceOf(Date);
    const wire = toWireObject(typed);
    expect(Object.getPrototypeOf(wire)).toBe(Object.prototype);
    expect(wire).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', creationTimestamp: '2025-05-04T10:00:00.000Z' },
      spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { spec: { containers: [{ name: 'web', image: 'nginx' }] } } },
    });
  });

  it('keeps every field of custom resources, which have no model', () => {
    const widget = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: 3, 'odd-key': { $ref: 'x' } } };
    expect(toWireObject(toClientObject(widget))).toEqual(widget);
  });

  it('deep-copies plain objects', () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' } };
    const wire = toWireObject(cm);
    expect(wire).toEqual(cm);
    expect(wire.data).not.toBe(cm.data);
  });
});
