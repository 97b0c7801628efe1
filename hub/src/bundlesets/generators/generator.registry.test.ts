import { describe, expect, it } from 'vitest';

import { CLUSTERS, fakeContext, fakeTree, generatorError } from './generator.fixtures.js';
import { evaluateGenerators, generatorEntrySchema, generatorRegistry } from './generator.registry.js';

const ctx = fakeContext({ clusters: CLUSTERS, repos: { apps: fakeTree({ 'apps/web/x': '' }) }, unavailable: ['down'] });

describe('generator registry', () => {
  it('knows every kind', () => {
    expect([...generatorRegistry.keys()]).toEqual(['list', 'clusters', 'gitDirectories', 'gitFiles', 'matrix', 'merge']);
  });

  it('concatenates entries in order (a union, no de-duplication)', async () => {
    const sets = await evaluateGenerators(
      [{ list: { elements: [{ a: 2 }, { a: 1 }] } }, { gitDirectories: { gitRepo: 'apps', directories: [{ path: 'apps/*' }] } }, { list: { elements: [{ a: 2 }] } }],
      ctx,
    );
    expect(sets).toEqual([{ a: 2 }, { a: 1 }, { path: { path: 'apps/web', basename: 'web', basenameNormalized: 'web', segments: ['apps', 'web'] } }, { a: 2 }]);
  });

  it('applies an entry post-selector on flattened params', async () => {
    const sets = await evaluateGenerators([{ clusters: {}, selector: { matchExpressions: [{ key: 'cluster.labels.env', operator: 'NotIn', values: ['dev'] }] } }], ctx);
    expect(sets.map((s) => (s['cluster'] as { name: string }).name)).toEqual(['austin', 'paris']);
  });

  it('is deterministic for the same inputs', async () => {
    const entries = [{ matrix: { generators: [{ clusters: {} }, { list: { elements: [{ x: 1 }, { x: 2 }] } }] } }];
    expect(await evaluateGenerators(entries, ctx)).toEqual(await evaluateGenerators(entries, ctx));
  });

  it('rejects an unknown kind listing the known ones, with the zod path at the key', async () => {
    const error = await generatorError(evaluateGenerators([{ list: { elements: [] } }, { clusterz: {} }], ctx));
    expect(error.reason).toBe('InvalidGenerator');
    expect(error.where.field).toBe('generators[1].clusterz');
    expect(error.message).toContain('list, clusters, gitDirectories, gitFiles, matrix, merge');
    const parsed = generatorEntrySchema.safeParse({ clusterz: {} });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['clusterz']);
  });

  it('rejects two kinds in one entry, no kind, a bad selector and an empty list', async () => {
    expect((await generatorError(evaluateGenerators([{ list: { elements: [] }, clusters: {} }], ctx))).where.field).toBe('generators[0].clusters');
    expect((await generatorError(evaluateGenerators([{ selector: {} }], ctx))).where.field).toBe('generators[0]');
    const op = await generatorError(evaluateGenerators([{ clusters: {}, selector: { matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] } }], ctx));
    expect(op.where.field).toBe('generators[0].selector.matchExpressions[0].values');
    expect((await generatorError(evaluateGenerators([], ctx))).where.field).toBe('generators');
  });

  it('uses the given base field in messages', async () => {
    const error = await generatorError(evaluateGenerators([{ nope: {} }], ctx, 'spec.generators'));
    expect(error.where.field).toBe('spec.generators[0].nope');
  });

  it('enforces maxParamSets across entries', async () => {
    const small = fakeContext({ maxParamSets: 3 });
    const two = { list: { elements: [{ a: 1 }, { a: 2 }] } };
    expect(await evaluateGenerators([two], small)).toHaveLength(2);
    const error = await generatorError(evaluateGenerators([two, two], small));
    expect(error.reason).toBe('TooManyParameterSets');
    expect(error.where.field).toBe('generators');
  });

  it('never turns a failed git read into zero sets', async () => {
    const error = await generatorError(evaluateGenerators([{ list: { elements: [{ a: 1 }] } }, { gitFiles: { gitRepo: 'down', files: [{ path: '*' }] } }], ctx));
    expect(error.reason).toBe('GitUnavailable');
  });
});
