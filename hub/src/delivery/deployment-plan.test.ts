import { describe, expect, it } from 'vitest';
import { planDeployments, uniformDesired, type DesiredDeployment } from './deployment-plan.js';

describe('planDeployments', () => {
  const existing = [
    { id: 'd1', clusterId: 'c1', stagedRevision: 'r1' },
    { id: 'd2', clusterId: 'c2', stagedRevision: 'r2' },
  ];
  it('creates, updates and removes exactly what differs', () => {
    expect(planDeployments(uniformDesired('r2', ['c2', 'c3']), existing)).toEqual({
      create: [{ clusterId: 'c3', desired: { revision: 'r2', renderKey: null, options: null } }],
      update: [],
      remove: ['d1'],
      removedClusters: ['c1'],
    });
    expect(planDeployments(uniformDesired('r3', ['c1', 'c2']), existing)).toMatchObject({
      create: [],
      update: [{ desired: { revision: 'r3' }, ids: ['d1', 'd2'], clusterIds: ['c1', 'c2'] }],
      remove: [],
    });
  });

  it('changes nothing when everything is current', () => {
    expect(planDeployments(uniformDesired('r1', ['c1']), [existing[0]!])).toEqual({ create: [], update: [], remove: [], removedClusters: [] });
  });

  it('groups per-cluster revisions of a rendered bundle into one update per distinct customisation', () => {
    const a: DesiredDeployment = { revision: 'ra', renderKey: 'ka', options: { defaultNamespace: 'a' } };
    const b: DesiredDeployment = { revision: 'rb', renderKey: 'kb', options: { defaultNamespace: 'b' } };
    const rendered = [
      { id: 'd1', clusterId: 'c1', stagedRevision: 'r0', stagedRenderKey: 'k0', stagedOptions: null },
      { id: 'd2', clusterId: 'c2', stagedRevision: 'r0', stagedRenderKey: 'k0', stagedOptions: null },
      { id: 'd3', clusterId: 'c3', stagedRevision: 'rb', stagedRenderKey: 'kb', stagedOptions: { defaultNamespace: 'b' } },
    ];
    const plan = planDeployments(new Map([['c1', a], ['c2', b], ['c3', b]]), rendered);
    expect(plan.update).toEqual([{ desired: a, ids: ['d1'], clusterIds: ['c1'] }, { desired: b, ids: ['d2'], clusterIds: ['c2'] }]);
  });

  it('an options change alone is an update (options travel with each assignment)', () => {
    const current = [{ id: 'd1', clusterId: 'c1', stagedRevision: 'r', stagedRenderKey: 'k', stagedOptions: { keepResources: false } }];
    const plan = planDeployments(new Map([['c1', { revision: 'r', renderKey: 'k', options: { keepResources: true } }]]), current);
    expect(plan.update).toEqual([{ desired: { revision: 'r', renderKey: 'k', options: { keepResources: true } }, ids: ['d1'], clusterIds: ['c1'] }]);
  });

  it('leaves clusters whose render is pending untouched: neither removed nor created', () => {
    const plan = planDeployments(new Map(), existing, new Set(['c1', 'c9']));
    expect(plan).toEqual({ create: [], update: [], remove: ['d2'], removedClusters: ['c2'] });
  });
});
