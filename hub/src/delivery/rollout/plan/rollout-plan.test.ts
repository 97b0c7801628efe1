import { describe, expect, it } from 'vitest';
import { planRollout, planRolloutPasses, type RolloutInput, type RolloutTarget } from './rollout-plan.js';
import { limit } from './rollout-strategy.js';

const NOW = 1_000_000;
const input = (over: Partial<RolloutInput> = {}): RolloutInput => ({ strategy: {}, paused: false, windowOpen: true, promoted: new Set(), now: NOW, groups: new Map(), ...over });

/** A cluster Ready on revision "v1" with "v2" staged. */
function target(name: string, labels: Record<string, string> = {}, over: Partial<RolloutTarget> = {}): RolloutTarget {
  return { deploymentId: `d-${name}`, cluster: { id: name, name, labels }, staged: 'v2', deployed: 'v1', applied: true, state: 'Ready', deployedAt: 0, dependenciesMet: true, ...over };
}

const twoPartitions = {
  partitions: [
    { name: 'canary', clusterSelector: { matchLabels: { stage: 'canary' } }, maxUnavailable: 0 },
    { name: 'rest', clusterSelector: { matchLabels: { stage: 'prod' } }, maxUnavailable: 0 },
  ],
};

describe('planRollout', () => {
  it('by default deploys every staged revision at once (Fleet: maxUnavailable 100 %, one partition under 200 clusters)', () => {
    const plan = planRollout([target('a'), target('b'), target('c')], input());
    expect(plan.deploy).toEqual(['d-a', 'd-b', 'd-c']);
    expect(plan.partitions.map((p) => [p.name, p.state])).toEqual([['All', 'Rolling']]);
    expect(plan.pending).toBe(false);
  });

  it('starts the second partition only when the first has at most its maxUnavailable clusters not Ready', () => {
    const targets = [target('c1', { stage: 'canary' }), target('p1', { stage: 'prod' }), target('p2', { stage: 'prod' })];
    const first = planRollout(targets, input({ strategy: twoPartitions }));
    expect(first.deploy).toEqual(['d-c1']);
    expect(first.phase).toBe('Waiting');
    expect(first.partitions.map((p) => p.state)).toEqual(['Rolling', 'Pending']);
    // The canary applied v2 and is Ready: partition 2 goes.
    targets[0] = target('c1', { stage: 'canary' }, { deployed: 'v2' });
    const second = planRollout(targets, input({ strategy: twoPartitions }));
    expect(second.deploy).toEqual(['d-p1', 'd-p2']);
    targets[1] = target('p1', { stage: 'prod' }, { deployed: 'v2' });
    targets[2] = target('p2', { stage: 'prod' }, { deployed: 'v2' });
    expect(planRollout(targets, input({ strategy: twoPartitions })).phase).toBe('Completed');
  });

  it('halts before the next partition when a cluster fails, naming it, and a promote continues past it', () => {
    const targets = [target('c1', { stage: 'canary' }, { deployed: 'v2', applied: true, state: 'ErrApplied' }), target('p1', { stage: 'prod' })];
    const halted = planRollout(targets, input({ strategy: twoPartitions }));
    expect(halted.phase).toBe('Halted');
    expect(halted.deploy).toEqual([]);
    expect(halted.message).toContain('c1 ErrApplied');
    expect(halted.partitions[0]!.failed).toEqual([{ cluster: 'c1', state: 'ErrApplied', message: '' }]);
    const promoted = planRollout(targets, input({ strategy: twoPartitions, promoted: new Set(['canary']) }));
    expect(promoted.deploy).toEqual(['d-p1']);
  });

  it('counts a cluster not Ready after the progress deadline as failed', () => {
    const slow = target('c1', { stage: 'canary' }, { deployed: 'v2', state: 'NotReady', deployedAt: NOW - 11_000 });
    const strategy = { ...twoPartitions, progressDeadlineSeconds: 10 };
    expect(planRollout([slow, target('p1', { stage: 'prod' })], input({ strategy })).phase).toBe('Halted');
    expect(planRollout([{ ...slow, deployedAt: NOW - 5_000 }, target('p1', { stage: 'prod' })], input({ strategy })).phase).toBe('Waiting');
  });

  it('waits for approval before a partition that requires it', () => {
    const strategy = { partitions: [twoPartitions.partitions[0]!, { ...twoPartitions.partitions[1]!, requireApproval: true }] };
    const targets = [target('c1', { stage: 'canary' }, { deployed: 'v2' }), target('p1', { stage: 'prod' })];
    const plan = planRollout(targets, input({ strategy }));
    expect([plan.phase, plan.deploy]).toEqual(['AwaitingApproval', []]);
    expect(planRollout(targets, input({ strategy, promoted: new Set(['rest']) })).deploy).toEqual(['d-p1']);
  });

  it('puts clusters outside every named partition in a last "unpartitioned" partition', () => {
    const plan = planRollout([target('c1', { stage: 'canary' }, { deployed: 'v2' }), target('x', { stage: 'dev' })], input({ strategy: twoPartitions }));
    expect(plan.partitions.map((p) => [p.name, p.count])).toEqual([['canary', 1], ['rest', 0], ['unpartitioned', 1]]);
    expect(plan.deploy).toEqual(['d-x']);
  });

  it('keeps at most maxUnavailable clusters of the bundle in flight (at least one)', () => {
    const targets = ['a', 'b', 'c'].map((n) => target(n));
    expect(planRollout(targets, input({ strategy: { maxUnavailable: 0 } })).deploy).toEqual(['d-a']);
    expect(planRollout(targets, input({ strategy: { maxUnavailable: 2 } })).deploy).toEqual(['d-a', 'd-b']);
    // An already unavailable cluster may always be updated (Fleet's rule).
    const broken = [target('a', {}, { state: 'NotReady' }), target('b')];
    expect(planRollout(broken, input({ strategy: { maxUnavailable: 1 } })).deploy).toEqual(['d-a']);
  });

  it('deploys at most maxNew new deployments per pass and says to plan again', () => {
    const fresh = ['a', 'b', 'c'].map((n) => target(n, {}, { deployed: null }));
    const plan = planRollout(fresh, input({ strategy: { maxNew: 2 } }));
    expect([plan.deploy, plan.moreNew, plan.pending]).toEqual([['d-a', 'd-b'], true, true]);
  });

  it('runs passes back to back until maxNew holds nothing back, keeping the gates across them', () => {
    const fresh = ['a', 'b', 'c', 'd', 'e'].map((n) => target(n, { stage: n === 'e' ? 'prod' : 'canary' }, { deployed: null }));
    const plan = planRolloutPasses(fresh, input({ strategy: { ...twoPartitions, maxNew: 2 } }));
    // Three passes deploy the four canaries; "rest" waits for them to be Ready.
    expect([plan.deploy, plan.moreNew, plan.phase]).toEqual([['d-a', 'd-b', 'd-c', 'd-d'], false, 'Waiting']);
  });

  it('deploys nothing while paused, outside a window, or before dependencies are met', () => {
    const targets = [target('a'), target('b', {}, { dependenciesMet: false, waitingFor: 'bundle db' })];
    expect(planRollout(targets, input({ paused: true }))).toMatchObject({ deploy: [], phase: 'Paused' });
    expect(planRollout(targets, input({ windowOpen: false }))).toMatchObject({ deploy: [], phase: 'OutsideWindow' });
    expect(planRollout(targets, input()).deploy).toEqual(['d-a']);
  });

  it('auto-partitions 25 % at a time from 200 targets', () => {
    const many = Array.from({ length: 200 }, (_, i) => target(`c${i}`));
    const plan = planRollout(many, input({ strategy: { maxNew: 1000 } }));
    expect(plan.partitions.map((p) => p.name)).toEqual(['Partition 0 - 50', 'Partition 50 - 100', 'Partition 100 - 150', 'Partition 150 - 200']);
    expect(plan.deploy).toHaveLength(200);
  });
});

describe('limit (Fleet)', () => {
  it('clamps counts, floors percentages with a minimum of 1, and refuses other strings', () => {
    expect([limit(10, 3, '100%'), limit(10, 30, '100%'), limit(10, '25%', '100%'), limit(3, '10%', '100%'), limit(10, undefined, '100%'), limit(0, 5, '1%')]).toEqual([3, 10, 2, 1, 10, 1]);
    expect(() => limit(10, 'half', '100%')).toThrow('must be a number or a percentage');
  });
});
