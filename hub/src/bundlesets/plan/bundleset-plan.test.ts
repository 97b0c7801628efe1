import { describe, expect, it } from 'vitest';
import type { GeneratedBundleSpec } from '../template/bundle-template.types.js';
import { deletionDigest, planBundleSet, type PlanGuards } from './bundleset-plan.js';

const spec = (name: string, ns = 'apps'): GeneratedBundleSpec => ({
  name,
  gitRepo: 'repo',
  path: `apps/${name}`,
  namespace: ns,
  targets: [{ clusterName: name }],
  options: { correctDrift: false, keepResources: false },
  labels: {},
});
const guards = (over: Partial<PlanGuards> = {}): PlanGuards => ({ policy: 'sync', allowEmpty: false, maxDeleteFraction: 1, approvedDeletion: '', ...over });
const existing = (...specs: GeneratedBundleSpec[]) => specs.map((s) => ({ name: s.name, spec: s }));

describe('planBundleSet', () => {
  it('creates the new, updates the changed with a diff, keeps the same, deletes the gone (sync)', () => {
    const plan = planBundleSet([spec('a'), spec('b', 'other'), spec('c')], existing(spec('b'), spec('c'), spec('d')), guards());
    expect(plan.create.map((s) => s.name)).toEqual(['a']);
    expect(plan.update).toEqual([{ name: 'b', before: spec('b'), after: spec('b', 'other'), diff: [{ op: 'replace', path: '/namespace', value: 'other' }] }]);
    expect(plan.keep.map((s) => s.name)).toEqual(['c']);
    expect(plan.delete).toEqual(['d']);
    expect(plan.hold).toBeUndefined();
  });

  it.each([
    ['create-only', { update: false, delete: false }],
    ['create-update', { update: true, delete: false }],
    ['create-delete', { update: false, delete: true }],
  ] as const)('policy %s', (policy, allowed) => {
    const plan = planBundleSet([spec('a'), spec('b', 'other')], existing(spec('b'), spec('d')), guards({ policy }));
    expect(plan.create.map((s) => s.name)).toEqual(['a']);
    expect(plan.update.map((u) => u.name)).toEqual(allowed.update ? ['b'] : []);
    expect(plan.skipped.update).toEqual(allowed.update ? [] : ['b']);
    // An update the policy refuses keeps the old spec (its content still follows Git).
    if (!allowed.update) expect(plan.keep).toEqual([spec('b')]);
    expect(plan.delete).toEqual(allowed.delete ? ['d'] : []);
    expect(plan.skipped.delete).toEqual(allowed.delete ? [] : ['d']);
  });

  it('an empty result deletes nothing unless allowEmpty', () => {
    const held = planBundleSet([], existing(spec('a'), spec('b')), guards());
    expect(held.hold?.reason).toBe('EmptyResult');
    expect(held.delete).toEqual(['a', 'b']);
    expect(planBundleSet([], existing(spec('a')), guards({ allowEmpty: true })).hold).toBeUndefined();
    // Nothing to delete (create-only), nothing to hold.
    expect(planBundleSet([], existing(spec('a')), guards({ policy: 'create-only' })).hold).toBeUndefined();
  });

  it('one generator entry that goes empty deletes nothing unless allowEmpty', () => {
    const emptiedEntries = [{ field: 'generators[1]', before: 2 }];
    const held = planBundleSet([spec('a')], existing(spec('a'), spec('b'), spec('c')), guards({ emptiedEntries }));
    expect(held.hold).toEqual({ reason: 'EmptyResult', message: expect.stringMatching(/^generators\[1\] \(2 before\) yielded no parameter sets/) });
    expect(planBundleSet([spec('a')], existing(spec('a'), spec('b')), guards({ emptiedEntries, allowEmpty: true })).hold).toBeUndefined();
    // Nothing to delete: nothing to hold (a new entry that yields nothing yet).
    expect(planBundleSet([spec('a'), spec('b')], existing(spec('a')), guards({ emptiedEntries })).hold).toBeUndefined();
  });

  it('a mass deletion waits for approval of exactly that set', () => {
    const before = existing(spec('a'), spec('b'), spec('c'), spec('d'));
    const plan = planBundleSet([spec('a')], before, guards({ maxDeleteFraction: 0.5 }));
    expect(plan.hold).toMatchObject({ reason: 'ApprovalRequired', deletion: { names: ['b', 'c', 'd'], digest: deletionDigest(['d', 'c', 'b']) } });
    expect(planBundleSet([spec('a')], before, guards({ maxDeleteFraction: 0.5, approvedDeletion: deletionDigest(['b', 'c', 'd']) })).hold).toBeUndefined();
    // Approving three deletions does not approve four.
    expect(planBundleSet([], before, guards({ maxDeleteFraction: 0.5, allowEmpty: true, approvedDeletion: deletionDigest(['b', 'c', 'd']) })).hold?.reason).toBe('ApprovalRequired');
    // A run for some clusters counts the fraction of all the BundleSet's bundles.
    expect(planBundleSet([], existing(spec('b'), spec('c')), guards({ maxDeleteFraction: 0.5, allowEmpty: true, existingTotal: 10 })).hold).toBeUndefined();
    expect(planBundleSet([], existing(spec('b'), spec('c')), guards({ maxDeleteFraction: 0.1, allowEmpty: true, existingTotal: 10 })).hold?.reason).toBe('ApprovalRequired');
    // At or under the fraction: no approval needed.
    expect(planBundleSet([spec('a'), spec('b')], before, guards({ maxDeleteFraction: 0.5 })).hold).toBeUndefined();
  });
});
