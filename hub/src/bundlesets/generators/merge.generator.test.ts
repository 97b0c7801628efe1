import { describe, expect, it } from 'vitest';

import { CLUSTERS, fakeContext, generatorError } from './generator.fixtures.js';
import { evaluateGenerators } from './generator.registry.js';

const ctx = fakeContext({ clusters: CLUSTERS });

describe('merge generator', () => {
  it('overrides base sets with later sets of the same key, deep, in base order', async () => {
    const sets = await evaluateGenerators(
      [
        {
          merge: {
            mergeKeys: ['cluster.name'],
            generators: [
              { clusters: { values: { kafka: 'false', redis: 'false' } } },
              { clusters: { selector: { matchLabels: { env: 'prod' } }, values: { kafka: 'true' } } },
              { list: { elements: [{ cluster: { name: 'paris' }, values: { redis: 'true' } }, { cluster: { name: 'nowhere' }, extra: 1 }] } },
            ],
          },
        },
      ],
      ctx,
    );
    expect(sets.map((s) => [(s['cluster'] as { name: string }).name, s['values']])).toEqual([
      ['austin', { kafka: 'true', redis: 'false' }],
      ['lab', { kafka: 'false', redis: 'false' }],
      ['paris', { kafka: 'true', redis: 'true' }],
    ]);
    expect(sets[2]!['cluster']).toEqual({ name: 'paris', id: 'id-3', labels: { env: 'prod', region: 'eu' } });
  });

  it('joins on several keys, and an override of false or 0 wins', async () => {
    const sets = await evaluateGenerators(
      [
        {
          merge: {
            mergeKeys: ['app', 'env'],
            generators: [
              { list: { elements: [{ app: 'web', env: 'dev', on: true, n: 3 }, { app: 'web', env: 'prod', on: true, n: 3 }] } },
              { list: { elements: [{ app: 'web', env: 'prod', on: false, n: 0 }, { app: 'api', env: 'prod', on: false }] } },
            ],
          },
        },
      ],
      ctx,
    );
    expect(sets).toEqual([
      { app: 'web', env: 'dev', on: true, n: 3 },
      { app: 'web', env: 'prod', on: false, n: 0 },
    ]);
  });

  it('drops a later set lacking a merge key; errors on a base set lacking one', async () => {
    const later = await evaluateGenerators(
      [{ merge: { mergeKeys: ['k'], generators: [{ list: { elements: [{ k: 1 }] } }, { list: { elements: [{ other: 1 }] } }] } }],
      ctx,
    );
    expect(later).toEqual([{ k: 1 }]);
    const error = await generatorError(
      evaluateGenerators([{ merge: { mergeKeys: ['k'], generators: [{ list: { elements: [{ k: 1 }, { x: 2 }] } }, { list: { elements: [] } }] } }], ctx),
    );
    expect(error.reason).toBe('MergeKeyMissing');
    expect(error.where.field).toBe('generators[0].merge.generators[0]');
    expect(error.message).toContain('parameter set 1 has no k');
  });

  it('errors when one child yields two sets with the same key values (argo-cd ErrNonUniqueParamSets)', async () => {
    const error = await generatorError(
      evaluateGenerators([{ merge: { mergeKeys: ['k'], generators: [{ list: { elements: [{ k: 1 }] } }, { list: { elements: [{ k: 1 }, { k: 1 }] } }] } }], ctx),
    );
    expect(error.reason).toBe('MergeKeyNotUnique');
    expect(error.where.field).toBe('generators[0].merge.generators[1]');
  });

  it('validates mergeKeys and the child count at their fields', async () => {
    const noKeys = await generatorError(evaluateGenerators([{ merge: { mergeKeys: [], generators: [{ list: { elements: [] } }, { list: { elements: [] } }] } }], ctx));
    expect(noKeys.where.field).toBe('generators[0].merge.mergeKeys');
    const one = await generatorError(evaluateGenerators([{ merge: { mergeKeys: ['a'], generators: [{ list: { elements: [] } }] } }], ctx));
    expect(one.reason).toBe('InvalidGenerator');
    expect(one.where.field).toBe('generators[0].merge.generators');
  });

  it('accepts a matrix child (one level of nesting)', async () => {
    const matrix = { matrix: { generators: [{ list: { elements: [{ k: 1 }, { k: 2 }] } }, { list: { elements: [{ m: 'x' }] } }] } };
    const sets = await evaluateGenerators([{ merge: { mergeKeys: ['k'], generators: [matrix, { list: { elements: [{ k: 2, m: 'y' }] } }] } }], ctx);
    expect(sets).toEqual([
      { k: 1, m: 'x' },
      { k: 2, m: 'y' },
    ]);
  });
});
