import { describe, expect, it } from 'vitest';
import { patchStyle } from './patch-style.rules.js';

describe('patchStyle (wrangler GetPatchStyle)', () => {
  it('a list is a JSON patch', () => {
    expect(patchStyle({ apiVersion: 'apps/v1', kind: 'Deployment' }, [{ op: 'remove', path: '/a' }])).toBe('json');
  });
  it('built-in kinds get a strategic merge', () => {
    expect(patchStyle({ apiVersion: 'apps/v1', kind: 'Deployment' }, {})).toBe('strategic');
    expect(patchStyle({ apiVersion: 'v1', kind: 'ConfigMap' }, {})).toBe('strategic');
  });
  it('CRDs, custom kinds and kindless targets get a JSON merge patch', () => {
    expect(patchStyle({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition' }, {})).toBe('merge');
    expect(patchStyle({ apiVersion: 'example.com/v1', kind: 'Widget' }, {})).toBe('merge');
    expect(patchStyle({ a: 1 }, {})).toBe('merge');
  });
});
