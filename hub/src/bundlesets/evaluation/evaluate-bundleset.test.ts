import { describe, expect, it } from 'vitest';
import { withoutUndefined } from './evaluate-bundleset.js';

describe('withoutUndefined', () => {
  it('drops undefined members at any depth, as JSON storage does', () => {
    const spec = { name: 'a', revision: undefined, helm: { values: { x: 1, y: undefined }, valuesFiles: ['f'] }, targets: [{ clusterName: 'c', clusterGroup: undefined }] };
    expect(withoutUndefined(spec)).toStrictEqual({ name: 'a', helm: { values: { x: 1 }, valuesFiles: ['f'] }, targets: [{ clusterName: 'c' }] });
    expect(withoutUndefined(spec)).toStrictEqual(JSON.parse(JSON.stringify(spec)));
    // Not changed in place.
    expect('revision' in spec).toBe(true);
  });

  it('returns the very object when there is nothing to drop', () => {
    const spec = { name: 'a', targets: [{ clusterName: 'c' }], labels: {}, options: { keepResources: false } };
    expect(withoutUndefined(spec)).toBe(spec);
  });
});
