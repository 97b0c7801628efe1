import { describe, expect, it } from 'vitest';
import { ManifestError } from './manifest.error.js';
import { checkObject, ObjectIdentitySet, objectIdentity } from './manifest-object.rules.js';

const where = { source: 'resources[0]' };
const job = (metadata: Record<string, unknown>) => ({ apiVersion: 'batch/v1', kind: 'Job', metadata });

function problem(value: unknown): string {
  try {
    checkObject(value, where);
  } catch (error) {
    if (error instanceof ManifestError) return `${error.reason}: ${error.message}`;
    throw error;
  }
  return 'accepted';
}

describe('checkObject: metadata.name and generateName', () => {
  it('lets hooks be named by generateName', () => {
    expect(problem(job({ generateName: 'migrate-', annotations: { 'helm.sh/hook': 'pre-install' } }))).toBe('accepted');
    expect(problem(job({ generateName: 'notify-', annotations: { 'argocd.argoproj.io/hook': 'PostSync' } }))).toBe('accepted');
  });

  it('refuses generateName on anything that is not a hook of a sync phase, with the precise error', () => {
    const refused = 'InvalidObject: resources[0]: metadata.name is required (generateName is supported on hooks only: other objects must be identifiable to prune them)';
    expect(problem(job({ generateName: 'x-' }))).toBe(refused);
    expect(problem(job({ generateName: 'x-', annotations: { 'helm.sh/hook': 'test' } }))).toBe(refused);
    expect(problem(job({ generateName: 'x-', annotations: { 'helm.sh/hook': 'crd-install' } }))).toBe(refused);
    expect(problem(job({ generateName: 'x-', annotations: { 'argocd.argoproj.io/hook': 'Skip' } }))).toBe(refused);
    expect(problem(job({ generateName: '', annotations: { 'helm.sh/hook': 'pre-install' } }))).toBe(refused);
    expect(problem(job({ annotations: { 'helm.sh/hook': 'pre-install' } }))).toBe(refused);
    expect(problem(job({ name: '', generateName: 'x-', annotations: { 'helm.sh/hook': 'pre-install' } }))).toBe(refused);
    // Annotations that are not strings (an unquoted YAML number) are not hook annotations.
    expect(problem(job({ generateName: 'x-', annotations: { 'helm.sh/hook': 5 } }))).toBe(refused);
  });

  it('tells generateName hooks apart by their prefix, and a second hook with the same prefix is a duplicate', () => {
    const hook = (generateName: string) => checkObject(job({ generateName, annotations: { 'helm.sh/hook': 'post-install' } }), where);
    const set = new ObjectIdentitySet();
    set.add(hook('migrate-'), { source: 'a' });
    set.add(hook('seed-'), { source: 'b' });
    set.add(checkObject(job({ name: 'migrate-' }), where), { source: 'c' });
    expect(objectIdentity(hook('seed-'))).toBe('batch/Job /seed-*');
    expect(() => set.add(hook('migrate-'), { source: 'd' })).toThrow(/batch\/Job \/migrate-\* is already in a/);
  });
});
