import { describe, expect, it } from 'vitest';
import { decodeObjects, encodeObjects, mergeObjects, sameObjects } from './inventory.js';

const cm = (name: string, namespace = 'default') => ({ apiVersion: 'v1', kind: 'ConfigMap', namespace, name });
const ns = (name: string) => ({ apiVersion: 'v1', kind: 'Namespace', namespace: '', name });
const deploy = (apiVersion: string, name: string) => ({ apiVersion, kind: 'Deployment', namespace: 'default', name });

describe('inventory', () => {
  it('merge is a union without duplicates where the later apiVersion wins', () => {
    const merged = mergeObjects([cm('a'), deploy('apps/v1beta2', 'web')], [deploy('apps/v1', 'web'), cm('b'), cm('a')]);
    expect(merged).toHaveLength(3);
    expect(merged.find((r) => r.kind === 'Deployment')?.apiVersion).toBe('apps/v1');
    expect(sameObjects(merged, [cm('b'), cm('a'), deploy('apps/v2', 'web')])).toBe(true);
    expect(sameObjects(merged, [cm('a')])).toBe(false);
  });

  it('round-trips through its stored form', () => {
    const refs = [ns('x'), cm('a'), { apiVersion: 'example.com/v1', kind: 'Widget', namespace: 'team', name: 'w.1' }];
    const text = encodeObjects(refs);
    expect(text).toContain('v1 Namespace - x');
    expect(sameObjects(decodeObjects(text), refs)).toBe(true);
    expect(decodeObjects(`${text}\n\ngarbage`)).toHaveLength(3);
  });
});
