import { describe, expect, it } from 'vitest';
import { LAST_APPLIED_ANNOTATION, normalize } from './normalize.js';

describe('normalize', () => {
  const live = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: 'settings',
      namespace: 'shop',
      uid: '0b0e4f0c-5b1a-4b7e-8d7b-3f6c1c2a9e10',
      resourceVersion: '48213',
      generation: 1,
      creationTimestamp: '2025-05-04T10:00:00Z',
      labels: { app: 'shop' },
      annotations: { [LAST_APPLIED_ANNOTATION]: '{"apiVersion":"v1"}', 'example.com/owner': 'team-a' },
      managedFields: [{ manager: 'flotilla-agent', operation: 'Apply', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: {} }],
    },
    data: { key: 'value' },
  };

  it('strips server-owned metadata, status and the last-applied annotation', () => {
    expect(normalize({ ...live, status: { phase: 'x' } })).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'settings', namespace: 'shop', labels: { app: 'shop' }, annotations: { 'example.com/owner': 'team-a' } },
      data: { key: 'value' },
    });
  });

  it('drops annotations left empty and does not modify its input', () => {
    const only = { ...live, metadata: { ...live.metadata, annotations: { [LAST_APPLIED_ANNOTATION]: '{}' } } };
    expect(normalize(only).metadata).toEqual({ name: 'settings', namespace: 'shop', labels: { app: 'shop' } });
    expect(only.metadata.annotations[LAST_APPLIED_ANNOTATION]).toBe('{}');
    expect(live.metadata.uid).toBeDefined();
  });

  it('copes with objects without metadata', () => {
    expect(normalize({ kind: 'X', status: {} })).toEqual({ kind: 'X' });
  });
});
