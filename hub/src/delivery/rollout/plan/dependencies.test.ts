import { describe, expect, it } from 'vitest';
import { dependenciesMet, resolveDependencies, type DependencyNode } from './dependencies.js';

const node = (id: string, dependsOn: DependencyNode['dependsOn'] = [], labels: Record<string, string> = {}): DependencyNode => ({ id, name: id, labels, dependsOn });

describe('resolveDependencies', () => {
  it('resolves names and selectors (ANDed), never to the bundle itself', () => {
    const self = node('api', [{ name: 'db' }, { selector: { matchLabels: { role: 'cache' } }, acceptedStates: ['Ready', 'Modified'] }], { role: 'cache' });
    const all = [self, node('db'), node('redis', [], { role: 'cache' }), node('memcached', [], { role: 'cache' })];
    expect(resolveDependencies(self, all)).toEqual({
      ok: true,
      deps: [
        { what: 'bundle "db"', bundleIds: ['db'], acceptedStates: ['Ready'] },
        { what: 'bundles selected by {"matchLabels":{"role":"cache"}}', bundleIds: ['redis', 'memcached'], acceptedStates: ['Ready', 'Modified'] },
      ],
    });
  });

  it('finds a cycle through the bundle and names it in order', () => {
    const a = node('a', [{ name: 'b' }]);
    const all = [a, node('b', [{ name: 'c' }]), node('c', [{ name: 'a' }]), node('d', [{ name: 'd' }])];
    expect(resolveDependencies(a, all)).toEqual({ ok: false, cycle: ['a', 'b', 'c', 'a'] });
    // A cycle elsewhere (d → d) is not this bundle's.
    const e = node('e', [{ name: 'd' }]);
    expect(resolveDependencies(e, [...all, e]).ok).toBe(true);
  });
});

describe('dependenciesMet', () => {
  const deps = [{ what: 'bundle "db"', bundleIds: ['db'], acceptedStates: ['Ready'] }];
  it('is met only when every dependency is in an accepted state on that cluster', () => {
    const states = [
      { bundleId: 'db', clusterId: 'c1', state: 'Ready' },
      { bundleId: 'db', clusterId: 'c2', state: 'WaitApplied' },
    ];
    expect(dependenciesMet(deps, states, 'c1')).toEqual({ met: true });
    expect(dependenciesMet(deps, states, 'c2')).toEqual({ met: false, waitingFor: 'bundle "db": WaitApplied, needs Ready' });
    expect(dependenciesMet(deps, states, 'c3')).toEqual({ met: false, waitingFor: 'bundle "db": not deployed to this cluster' });
    expect(dependenciesMet([{ ...deps[0]!, bundleIds: [] }], states, 'c1')).toEqual({ met: false, waitingFor: 'bundle "db": no such bundle' });
  });
});
