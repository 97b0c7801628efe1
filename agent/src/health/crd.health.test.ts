import { describe, expect, it } from 'vitest';
import { crdHealth } from './crd.health.js';

const crd = (conditions: unknown[]) => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.com', generation: 1 },
  spec: {
    group: 'example.com',
    names: { kind: 'Widget', listKind: 'WidgetList', plural: 'widgets', singular: 'widget' },
    scope: 'Namespaced',
    versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } }],
  },
  status: { conditions, acceptedNames: { kind: 'Widget', plural: 'widgets' }, storedVersions: ['v1'] },
});

const names = { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found' };

describe('crdHealth', () => {
  it('is Healthy when Established', () => {
    const established = { type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' };
    expect(crdHealth.assess(crd([names, established])).status).toBe('Healthy');
  });

  it('is Progressing before it is established', () => {
    expect(crdHealth.assess(crd([])).status).toBe('Progressing');
    const installing = { type: 'Established', status: 'False', reason: 'Installing', message: 'the initial names have been accepted' };
    expect(crdHealth.assess(crd([names, installing])).status).toBe('Progressing');
  });

  it('is Degraded when its names clash with another CRD', () => {
    const clash = { type: 'NamesAccepted', status: 'False', reason: 'MultipleNameConflict', message: '"widgets" is already in use' };
    const notEstablished = { type: 'Established', status: 'False', reason: 'NotAccepted', message: 'not all names are accepted' };
    expect(crdHealth.assess(crd([clash, notEstablished]))).toEqual({
      status: 'Degraded',
      message: 'CRD names not accepted: MultipleNameConflict: "widgets" is already in use',
    });
  });

  it('is Progressing while being deleted', () => {
    const terminating = { type: 'Terminating', status: 'True', reason: 'InstanceDeletionInProgress', message: 'CustomResource deletion is in progress' };
    expect(crdHealth.assess(crd([names, terminating])).status).toBe('Progressing');
  });
});
