import { describe, expect, it } from 'vitest';
import { clusterSeparable, readsClusters } from './cluster-scope.js';

const clusters = { clusters: { selector: { matchLabels: { env: 'prod' } } } };
const dirs = { gitDirectories: { gitRepo: 'src', directories: [{ path: 'apps/*' }] } };
const list = { list: { elements: [{ a: 1 }] } };

describe('cluster scope of generators', () => {
  it('finds clusters generators at any depth', () => {
    expect(readsClusters(clusters)).toBe(true);
    expect(readsClusters({ matrix: { generators: [dirs, { merge: { mergeKeys: ['a'], generators: [list, clusters] } }] } })).toBe(true);
    expect(readsClusters({ matrix: { generators: [dirs, list] } })).toBe(false);
  });

  it('is separable for clusters, matrices of clusters and one cluster-free child, and cluster-free entries', () => {
    expect(clusterSeparable([clusters, list, { matrix: { generators: [clusters, dirs] } }, { matrix: { generators: [dirs, clusters] } }])).toBe(true);
    expect(clusterSeparable([{ matrix: { generators: [dirs, list] } }])).toBe(true);
  });

  it('is not for a merge over clusters, a matrix of two clusters generators, or deeper nesting', () => {
    expect(clusterSeparable([{ merge: { mergeKeys: ['cluster.name'], generators: [clusters, list] } }])).toBe(false);
    expect(clusterSeparable([{ matrix: { generators: [clusters, clusters] } }])).toBe(false);
    expect(clusterSeparable([{ matrix: { generators: [dirs, { matrix: { generators: [clusters, list] } }] } }])).toBe(false);
  });
});
