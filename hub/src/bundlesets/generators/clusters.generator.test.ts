import { describe, expect, it } from 'vitest';

import { clustersGenerator } from './clusters.generator.js';
import { CLUSTERS, fakeContext, generatorError } from './generator.fixtures.js';
import { evaluateGenerators } from './generator.registry.js';

const ctx = fakeContext({ clusters: CLUSTERS, groups: { europe: { matchLabels: { region: 'eu' } } } });

describe('clusters generator', () => {
  it('yields every cluster ordered by name, values interpolated per cluster', async () => {
    const sets = await clustersGenerator.generate({ values: { url: 'https://{{ .cluster.name }}.example' } }, ctx, 'generators[0].clusters');
    expect(sets).toEqual([
      { cluster: { name: 'austin', id: 'id-1', labels: { env: 'prod', region: 'us' } }, values: { url: 'https://austin.example' } },
      { cluster: { name: 'lab', id: 'id-2', labels: { env: 'dev', region: 'eu' } }, values: { url: 'https://lab.example' } },
      { cluster: { name: 'paris', id: 'id-3', labels: { env: 'prod', region: 'eu' } }, values: { url: 'https://paris.example' } },
    ]);
  });

  it('filters by selector, with an empty values map when none is given', async () => {
    const sets = await clustersGenerator.generate({ selector: { matchExpressions: [{ key: 'env', operator: 'In', values: ['prod'] }] } }, ctx, 'f');
    expect(sets.map((s) => s['cluster'])).toMatchObject([{ name: 'austin' }, { name: 'paris' }]);
    expect(sets[0]!['values']).toEqual({});
  });

  it('resolves a cluster group to its selector', async () => {
    const sets = await clustersGenerator.generate({ group: 'europe' }, ctx, 'f');
    expect(sets.map((s) => (s['cluster'] as { name: string }).name)).toEqual(['lab', 'paris']);
  });

  it('names the group field when the group is unknown', async () => {
    const error = await generatorError(evaluateGenerators([{ list: { elements: [] } }, { clusters: { group: 'mars' } }], ctx));
    expect(error.reason).toBe('InvalidGenerator');
    expect(error.where.field).toBe('generators[1].clusters.group');
    expect(error.message).toContain('mars');
  });

  it('rejects selector and group together, and an invalid selector, at the field', async () => {
    const both = await generatorError(evaluateGenerators([{ clusters: { group: 'europe', selector: {} } }], ctx));
    expect(both.where.field).toBe('generators[0].clusters.group');
    const bad = await generatorError(evaluateGenerators([{ clusters: { selector: { matchLabels: { 'app.kubernetes.io/name': 'bad value!' } } } }], ctx));
    expect(bad.reason).toBe('InvalidGenerator');
    expect(bad.where.field).toBe('generators[0].clusters.selector.matchLabels.app.kubernetes.io/name');
    const op = await generatorError(evaluateGenerators([{ clusters: { selector: { matchExpressions: [{ key: 'env', operator: 'In' }] } } }], ctx));
    expect(op.where.field).toBe('generators[0].clusters.selector.matchExpressions[0].values');
  });

  it('propagates a failing template in values', async () => {
    const error = await generatorError(clustersGenerator.generate({ values: { x: '{{ .cluster.nope }}' } }, ctx, 'generators[0].clusters'));
    expect(error.reason).toBe('TemplateFailed');
    expect(error.where.field).toBe('generators[0].clusters.values');
  });
});
