import { describe, expect, it } from 'vitest';
import { describeRef, groupOf, isGeneratedName, refKey, refOf } from './object-ref.identity.js';

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

  it('names an object named by generateName after its prefix, apart from named objects', () => {
    const generated = refOf({ apiVersion: 'batch/v1', kind: 'Job', metadata: { namespace: 'shop', generateName: 'migrate-' } });
    expect(generated.name).toBe('migrate-*');
    expect(describeRef(generated)).toBe('Job shop/migrate-*');
    expect(isGeneratedName(generated)).toBe(true);
    expect(refKey(generated)).not.toBe(refKey(refOf({ apiVersion: 'batch/v1', kind: 'Job', metadata: { namespace: 'shop', name: 'migrate-' } })));
    // A name wins over generateName, as on the API server.
    expect(refOf({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', generateName: 'x-' } }).name).toBe('p');
    expect(isGeneratedName(refOf({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } }))).toBe(false);
  });
});
