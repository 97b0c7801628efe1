import { describe, expect, it } from 'vitest';
import { CLUSTER_DISPLAY_NAME_LABEL, matchesTarget } from './cluster-match.js';
import type { ClusterContext } from './cluster-context.types.js';

const cluster: ClusterContext = {
  name: 'c-abc12',
  labels: { env: 'prod', [CLUSTER_DISPLAY_NAME_LABEL]: 'shop' },
  groups: [
    { name: 'g1', labels: { tier: 'gold' } },
    { name: 'g2', labels: { tier: 'silver' } },
  ],
};

describe('matchesTarget', () => {
  it('matches clusterName by name or Rancher display name', () => {
    expect(matchesTarget({ clusterName: 'c-abc12' }, cluster)).toBe(true);
    expect(matchesTarget({ clusterName: 'shop' }, cluster)).toBe(true);
    expect(matchesTarget({ clusterName: 'other' }, cluster)).toBe(false);
  });

  it('ANDs criteria and needs group criteria to hold for one group', () => {
    expect(matchesTarget({ clusterGroup: 'g2', clusterGroupSelector: { matchLabels: { tier: 'silver' } } }, cluster)).toBe(true);
    expect(matchesTarget({ clusterGroup: 'g2', clusterGroupSelector: { matchLabels: { tier: 'gold' } } }, cluster)).toBe(false);
    expect(matchesTarget({ clusterName: 'c-abc12', clusterSelector: { matchLabels: { env: 'dev' } } }, cluster)).toBe(false);
  });

  it('treats null as no criterion, {} as everything, and no criterion as no match', () => {
    expect(matchesTarget({ clusterSelector: {} }, cluster)).toBe(true);
    expect(matchesTarget({ clusterSelector: null }, cluster)).toBe(false);
    expect(matchesTarget({ name: 'only-a-name' }, cluster)).toBe(false);
    expect(matchesTarget({ clusterGroupSelector: {} }, { name: 'x', labels: {} })).toBe(true);
    expect(matchesTarget({ clusterGroup: 'g1' }, { name: 'x', labels: {} })).toBe(false);
  });
});
