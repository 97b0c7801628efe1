import { describe, expect, it } from 'vitest';
import { planDeployments } from './deployment-plan.js';

describe('planDeployments', () => {
  const existing = [
    { id: 'd1', clusterId: 'c1', desiredRevision: 'r1' },
    { id: 'd2', clusterId: 'c2', desiredRevision: 'r2' },
  ];
  it('creates, updates and removes exactly what differs', () => {
    expect(planDeployments('r2', ['c2', 'c3'], existing)).toEqual({
      create: ['c3'],
      update: [],
      remove: ['d1'],
      affectedClusters: ['c3', 'c1'],
    });
    expect(planDeployments('r3', ['c1', 'c2'], existing)).toMatchObject({ create: [], update: ['d1', 'd2'], remove: [] });
  });
  it('changes nothing when everything is current', () => {
    expect(planDeployments('r1', ['c1'], [existing[0]!])).toEqual({ create: [], update: [], remove: [], affectedClusters: [] });
  });
});
