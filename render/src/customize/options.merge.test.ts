import { describe, expect, it } from 'vitest';
import { mergeOptions } from './options.merge.js';

describe('mergeOptions (Fleet options.Merge)', () => {
  it('deep-merges values, replaces lists, merges templateValues by key', () => {
    const merged = mergeOptions(
      { helm: { values: { a: { x: 1, y: 2 }, l: [1, 2] }, templateValues: { t1: 'a', t2: 'b' } } },
      { helm: { values: { a: { y: 3 }, l: [9] }, templateValues: { t2: 'c' } } },
    );
    expect(merged.helm).toEqual({ values: { a: { x: 1, y: 3 }, l: [9] }, templateValues: { t1: 'a', t2: 'c' } });
  });

  it('ORs booleans: a customisation cannot turn force off', () => {
    expect(mergeOptions({ helm: { force: true }, keepResources: true }, { helm: { force: false }, keepResources: false })).toEqual({
      helm: { force: true },
      keepResources: true,
    });
  });

  it('clears timeoutSeconds when the customisation sets a negative one', () => {
    expect(mergeOptions({ helm: { timeoutSeconds: 30 } }, { helm: { timeoutSeconds: -1 } }).helm).toEqual({});
  });

  it('appends overlays and merges comparePatches and downstreamResources by identity', () => {
    const merged = mergeOptions(
      {
        yaml: { overlays: ['a'] },
        diff: { comparePatches: [{ kind: 'Deployment', name: 'x', jsonPointers: ['/a'] }] },
        downstreamResources: [{ kind: 'Secret', name: 's' }],
      },
      {
        yaml: { overlays: ['b'] },
        diff: { comparePatches: [{ kind: 'Deployment', name: 'x', jsonPointers: ['/b'] }, { kind: 'Service', name: 'y' }] },
        downstreamResources: [{ kind: 'secret', name: 's' }, { kind: 'ConfigMap', name: 'c' }],
      },
    );
    expect(merged.yaml).toEqual({ overlays: ['a', 'b'] });
    expect(merged.diff?.comparePatches).toEqual([{ kind: 'Deployment', name: 'x', jsonPointers: ['/b'] }, { kind: 'Service', name: 'y' }]);
    expect(merged.downstreamResources).toEqual([{ kind: 'secret', name: 's' }, { kind: 'ConfigMap', name: 'c' }]);
  });

  it('ignores the fields Fleet does not merge from a customisation', () => {
    const base = { namespaceLabels: { a: '1' }, helm: { maxHistory: 2 } };
    expect(mergeOptions(base, { namespaceLabels: { b: '2' }, deleteNamespace: true, helm: { maxHistory: 9 } })).toEqual(base);
  });

  it('does not modify its inputs', () => {
    const base = { helm: { values: { a: { b: 1 } } } };
    mergeOptions(base, { helm: { values: { a: { b: 2 } } } });
    expect(base.helm.values.a.b).toBe(1);
  });
});
