import { describe, expect, it } from 'vitest';
import type { DeclaredDependency } from './chart-dependencies.rules.js';
import { dependencyCacheKey, treeDigest, type DependencyCacheKeyInput } from './dependency-cache.key.js';

const dep: DeclaredDependency = { index: 0, name: 'redis', version: '19.x', repository: 'https://r/charts', declaredIn: 'Chart.yaml', line: 5 };
const base: DependencyCacheKeyInput = { dependencies: [dep], locks: {}, chartsDir: new Map(), localTrees: new Map() };

describe('dependencyCacheKey', () => {
  it('is a hex digest, the same for the same input whatever the map order or entry lines', () => {
    const a = dependencyCacheKey({ ...base, chartsDir: new Map([['a.tgz', '1'], ['b.tgz', '2']]) });
    const b = dependencyCacheKey({ ...base, dependencies: [{ ...dep, line: 40, index: 3 }], chartsDir: new Map([['b.tgz', '2'], ['a.tgz', '1']]) });
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(b).toBe(a);
  });

  it.each<[string, Partial<DependencyCacheKeyInput>]>([
    ['a version constraint', { dependencies: [{ ...dep, version: '20.x' }] }],
    ['a repository', { dependencies: [{ ...dep, repository: 'https://other/charts' }] }],
    ['a name', { dependencies: [{ ...dep, name: 'valkey' }] }],
    ['another dependency', { dependencies: [dep, { ...dep, name: 'pg' }] }],
    ['requirements.yaml instead of Chart.yaml', { dependencies: [{ ...dep, declaredIn: 'requirements.yaml' }] }],
    ['a Chart.lock', { locks: { 'Chart.lock': 'abc' } }],
    ['a file already in charts/', { chartsDir: new Map([['old-1.0.0.tgz', 'abc']]) }],
    ['a file:// directory', { localTrees: new Map([['file://../x', 'abc']]) }],
  ])('changes with %s', (_, change) => {
    expect(dependencyCacheKey({ ...base, ...change })).not.toBe(dependencyCacheKey(base));
  });
});

describe('treeDigest', () => {
  it('depends on paths and contents, not on order', () => {
    const one = treeDigest(new Map([['Chart.yaml', Buffer.from('a')], ['t/x.yaml', Buffer.from('b')]]));
    expect(treeDigest(new Map([['t/x.yaml', Buffer.from('b')], ['Chart.yaml', Buffer.from('a')]]))).toBe(one);
    expect(treeDigest(new Map([['Chart.yaml', Buffer.from('a')], ['t/y.yaml', Buffer.from('b')]]))).not.toBe(one);
    expect(treeDigest(new Map([['Chart.yaml', Buffer.from('a')], ['t/x.yaml', Buffer.from('c')]]))).not.toBe(one);
  });
});
