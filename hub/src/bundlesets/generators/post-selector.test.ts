import { describe, expect, it } from 'vitest';

import { applyPostSelector, flattenParams } from './post-selector.js';

describe('post-selector', () => {
  it('flattens nested params to dotted string keys as argo-cd does', () => {
    expect(flattenParams({ cluster: { name: 'a', labels: { 'app.kubernetes.io/name': 'x' } }, path: { segments: ['apps', 'web'] }, n: 3, on: false, none: null, empty: {} })).toEqual({
      'cluster.name': 'a',
      'cluster.labels.app.kubernetes.io/name': 'x',
      'path.segments.0': 'apps',
      'path.segments.1': 'web',
      n: '3',
      on: 'false',
    });
  });

  it('keeps the sets matching every term, in order', () => {
    const sets = [
      { cluster: { name: 'a', labels: { env: 'prod' } }, url: 'https://a.example' },
      { cluster: { name: 'b', labels: { env: 'dev' } }, url: 'https://b.example' },
      { cluster: { name: 'c', labels: { env: 'prod' } } },
    ];
    const kept = applyPostSelector(sets, { matchLabels: { 'cluster.labels.env': 'prod' }, matchExpressions: [{ key: 'url', operator: 'Exists' }] });
    expect(kept).toEqual([sets[0]]);
    expect(applyPostSelector(sets, { matchExpressions: [{ key: 'url', operator: 'In', values: ['https://b.example'] }] })).toEqual([sets[1]]);
    expect(applyPostSelector(sets, undefined)).toEqual(sets);
  });
});
