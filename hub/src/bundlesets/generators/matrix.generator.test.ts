import { describe, expect, it } from 'vitest';

import { CLUSTERS, fakeContext, fakeTree, generatorError } from './generator.fixtures.js';
import { evaluateGenerators } from './generator.registry.js';

const repos = {
  apps: fakeTree({ 'apps/web/fleet.yaml': '', 'apps/api/fleet.yaml': '' }),
  'apps@austin': fakeTree({ 'apps/only-austin/x': '' }),
  'apps@paris': fakeTree({ 'apps/only-paris/x': '' }),
};
const ctx = fakeContext({ clusters: CLUSTERS, repos });

describe('matrix generator', () => {
  it('yields the product, first child outer, params merged', async () => {
    const sets = await evaluateGenerators(
      [{ matrix: { generators: [{ clusters: { selector: { matchLabels: { env: 'prod' } } } }, { gitDirectories: { gitRepo: 'apps', directories: [{ path: 'apps/*' }] } }] } }],
      ctx,
    );
    expect(sets.map((s) => `${(s['cluster'] as { name: string }).name}/${(s['path'] as { basename: string }).basename}`)).toEqual([
      'austin/api',
      'austin/web',
      'paris/api',
      'paris/web',
    ]);
    expect(sets[0]).toEqual({
      cluster: { name: 'austin', id: 'id-1', labels: { env: 'prod', region: 'us' } },
      values: {},
      path: { path: 'apps/api', basename: 'api', basenameNormalized: 'api', segments: ['apps', 'api'] },
    });
  });

  it('interpolates the second child with each set of the first', async () => {
    const sets = await evaluateGenerators(
      [
        {
          matrix: {
            generators: [
              { clusters: { selector: { matchLabels: { env: 'prod' } } } },
              { gitDirectories: { gitRepo: 'apps', revision: '{{ .cluster.name }}', directories: [{ path: 'apps/only-{{ .cluster.name }}' }] } },
            ],
          },
        },
      ],
      ctx,
    );
    expect(sets.map((s) => (s['path'] as { path: string }).path)).toEqual(['apps/only-austin', 'apps/only-paris']);
    expect(ctx.gitReads.slice(-2)).toEqual(['apps@austin', 'apps@paris']);
  });

  it('deep-merges each pair; on a conflicting leaf the first child wins (argo-cd goTemplate)', async () => {
    const sets = await evaluateGenerators(
      [{ matrix: { generators: [{ list: { elements: [{ app: { name: 'first' }, env: 'a' }] } }, { list: { elements: [{ app: { name: 'second', port: 80 }, tier: 'b' }] } }] } }],
      ctx,
    );
    expect(sets).toEqual([{ app: { name: 'first', port: 80 }, env: 'a', tier: 'b' }]);
  });

  it('yields nothing when a child yields nothing', async () => {
    const sets = await evaluateGenerators([{ matrix: { generators: [{ list: { elements: [] } }, { list: { elements: [{ a: 1 }] } }] } }], ctx);
    expect(sets).toEqual([]);
  });

  it('applies a child post-selector before combining', async () => {
    const sets = await evaluateGenerators(
      [{ matrix: { generators: [{ clusters: {}, selector: { matchLabels: { 'cluster.labels.region': 'eu' } } }, { list: { elements: [{ v: 1 }] } }] } }],
      ctx,
    );
    expect(sets.map((s) => (s['cluster'] as { name: string }).name)).toEqual(['lab', 'paris']);
  });

  it('allows one level of nesting', async () => {
    const inner = { matrix: { generators: [{ list: { elements: [{ a: 1 }, { a: 2 }] } }, { list: { elements: [{ b: 1 }] } }] } };
    const sets = await evaluateGenerators([{ matrix: { generators: [inner, { list: { elements: [{ c: 1 }, { c: 2 }] } }] } }], ctx);
    expect(sets).toEqual([
      { a: 1, b: 1, c: 1 },
      { a: 1, b: 1, c: 2 },
      { a: 2, b: 1, c: 1 },
      { a: 2, b: 1, c: 2 },
    ]);
  });

  it('rejects three children, and nesting deeper than one level, at the field', async () => {
    const three = await generatorError(evaluateGenerators([{ matrix: { generators: [{ list: { elements: [] } }, { list: { elements: [] } }, { list: { elements: [] } }] } }], ctx));
    expect(three.reason).toBe('InvalidGenerator');
    expect(three.where.field).toBe('generators[0].matrix.generators');
    const leaf = { list: { elements: [] } };
    const deep = { matrix: { generators: [leaf, { merge: { mergeKeys: ['a'], generators: [leaf, leaf] } }] } };
    const tooDeep = await generatorError(evaluateGenerators([{ matrix: { generators: [leaf, deep] } }], ctx));
    expect(tooDeep.where.field).toBe('generators[0].matrix.generators[1].matrix.generators[1].merge');
  });

  it('names the nested field of an invalid grandchild spec', async () => {
    const error = await generatorError(
      evaluateGenerators([{ matrix: { generators: [{ list: { elements: [] } }, { gitFiles: { gitRepo: 'apps', files: [{ path: 7 }] } }] } }], ctx),
    );
    expect(error.where.field).toBe('generators[0].matrix.generators[1].gitFiles.files[0].path');
  });

  it('propagates a template failure of the second child with its field', async () => {
    const error = await generatorError(
      evaluateGenerators([{ matrix: { generators: [{ list: { elements: [{ a: 1 }] } }, { list: { elements: [{ b: '{{ .missing }}' }] } }] } }], ctx),
    );
    expect(error.reason).toBe('TemplateFailed');
    expect(error.where.field).toBe('generators[0].matrix.generators[1].list');
  });

  it('stops at maxParamSets while building the product', async () => {
    const elements = Array.from({ length: 10 }, (_, i) => ({ i }));
    const small = fakeContext({ maxParamSets: 50 });
    const error = await generatorError(evaluateGenerators([{ matrix: { generators: [{ list: { elements } }, { list: { elements: elements.map(({ i }) => ({ j: i })) } }] } }], small));
    expect(error.reason).toBe('TooManyParameterSets');
    expect(error.where.field).toBe('generators[0].matrix');
  });
});
