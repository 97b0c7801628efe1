import { describe, expect, it } from 'vitest';
import { assertValidTargets, targetedClusters } from './bundle-target.js';

const clusters = [
  { id: '1', name: 'eu-prod', labels: { env: 'prod', region: 'eu' } },
  { id: '2', name: 'us-prod', labels: { env: 'prod', region: 'us' } },
  { id: '3', name: 'eu-dev', labels: { env: 'dev', region: 'eu' } },
];
const groups = new Map([['europe', { matchLabels: { region: 'eu' } }]]);
const names = (targets: Parameters<typeof targetedClusters>[0]) => targetedClusters(targets, clusters, groups).map((c) => c.name);

describe('targetedClusters', () => {
  it('ORs entries and ANDs fields within an entry', () => {
    expect(names([{ clusterSelector: { matchLabels: { env: 'prod' } } }])).toEqual(['eu-prod', 'us-prod']);
    expect(names([{ clusterGroup: 'europe', clusterSelector: { matchLabels: { env: 'prod' } } }])).toEqual(['eu-prod']);
    expect(names([{ clusterName: 'eu-dev' }, { clusterName: 'us-prod' }])).toEqual(['us-prod', 'eu-dev']);
  });
  it('targets nothing with no entries or an unknown group', () => {
    expect(names([])).toEqual([]);
    expect(names([{ clusterGroup: 'nope' }])).toEqual([]);
  });
  it('rejects an empty entry and a bad selector with the entry named', () => {
    expect(() => assertValidTargets([{ clusterName: 'a' }, {}])).toThrow(expect.objectContaining({ field: 'targets[1]' }));
    expect(() => assertValidTargets([{ clusterSelector: { matchLabels: { 'a b': 'c' } } }])).toThrow(
      expect.objectContaining({ field: 'targets[0].clusterSelector.matchLabels.a b' }),
    );
  });
});
