import { describe, expect, it } from 'vitest';
import { pruneWaves } from './prune-waves.js';

const ref = (kind: string, name: string, namespace = 'shop') => ({ apiVersion: 'v1', kind, namespace, name });

describe('pruneWaves', () => {
  it('deletes the highest wave first, each wave in the order given', () => {
    const groups = pruneWaves([
      { ref: ref('ConfigMap', 'db-config'), wave: 0 },
      { ref: ref('Service', 'web'), wave: 2 },
      { ref: ref('ConfigMap', 'web-config'), wave: 2 },
      { ref: ref('Secret', 'early'), wave: -1 },
      { ref: ref('Namespace', 'shop', ''), wave: 0 },
    ]);
    expect(groups.map((g) => [g.wave, g.refs.map((r) => r.name)])).toEqual([
      [2, ['web', 'web-config']],
      [0, ['db-config', 'shop']],
      [-1, ['early']],
    ]);
  });

  it('is empty for nothing to delete', () => {
    expect(pruneWaves([])).toEqual([]);
  });
});
