import { describe, expect, it } from 'vitest';
import { toComparePatch } from './compare-patch.wire.js';

describe('toComparePatch', () => {
  it('fills left-out match fields with the empty string (match any)', () => {
    expect(toComparePatch({ kind: 'Deployment', jsonPointers: ['/spec/replicas'] })).toEqual({
      apiVersion: '',
      kind: 'Deployment',
      namespace: '',
      name: '',
      jsonPointers: ['/spec/replicas'],
    });
  });
});
