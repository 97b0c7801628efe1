import { describe, expect, it } from 'vitest';
import { describeRef, groupOf, refKey, refOf } from './object-ref.identity.js';

describe('object identity', () => {
  it('ignores the API version within a group', () => {
    const v1 = refOf({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { namespace: 'shop', name: 'web' } });
    const v2 = refOf({ apiVersion: 'apps/v2', kind: 'Deployment', metadata: { namespace: 'shop', name: 'web' } });
    expect(refKey(v1)).toBe('apps/Deployment/shop/web');
    expect(refKey(v2)).toBe(refKey(v1));
  });

  it('uses the empty group and namespace for core cluster-scoped objects', () => {
    const ref = refOf({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
    expect(groupOf(ref.apiVersion)).toBe('');
    expect(refKey(ref)).toBe('/Namespace//shop');
    expect(describeRef(ref)).toBe('Namespace shop');
    expect(describeRef({ ...ref, kind: 'ConfigMap', namespace: 'shop', name: 'x' })).toBe('ConfigMap shop/x');
  });
});
