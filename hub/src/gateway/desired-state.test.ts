import { describe, expect, it } from 'vitest';
import { desiredState } from './desired-state.js';

const a = { deploymentId: 'a', bundleName: 'web', revision: 'r1', contentSize: 10 };
const b = { deploymentId: 'b', bundleName: 'db', revision: 'r1', contentSize: 10 };

describe('desiredState', () => {
  it('gives equal sets the same generation regardless of order', () => {
    expect(desiredState([a, b]).generation).toBe(desiredState([b, a]).generation);
    expect(desiredState([b, a]).deployments.map((d) => d.deploymentId)).toEqual(['a', 'b']);
  });
  it('changes the generation when a revision changes', () => {
    expect(desiredState([a]).generation).not.toBe(desiredState([{ ...a, revision: 'r2' }]).generation);
  });
  it('changes the generation when options change', () => {
    const withDrift = { ...a, options: { defaultNamespace: '', keepResources: false, correctDrift: true, allowEmpty: false, comparePatches: [] } };
    expect(desiredState([a]).generation).not.toBe(desiredState([withDrift]).generation);
  });
  it('has a stable generation for the empty set', () => {
    expect(desiredState([]).generation).toMatch(/^[0-9a-f]{32}$/);
    expect(desiredState([]).deployments).toEqual([]);
  });
});
