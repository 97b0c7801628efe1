import { describe, expect, it } from 'vitest';
import { assertDepth } from './manifest-depth.rules.js';
import { ManifestError } from './manifest.error.js';

const nest = (levels: number): unknown => {
  let value: unknown = 'leaf';
  for (let i = 0; i < levels; i++) value = i % 2 ? { a: value } : [value];
  return value;
};

describe('assertDepth', () => {
  it('accepts max levels and refuses max + 1, maps and lists alike', () => {
    expect(() => assertDepth(nest(100), 100, { source: 'resources[0]' })).not.toThrow();
    expect(() => assertDepth(nest(101), 100, { source: 'resources[0]' })).toThrow(new ManifestError('TooDeep', { source: 'resources[0]' }, 'nested deeper than 100 levels'));
  });

  it('measures 100,000 levels without a RangeError', () => {
    let error: unknown;
    try {
      assertDepth(nest(100_000), 100, { source: 'resources[3]' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ManifestError);
    expect((error as ManifestError).message).toBe('resources[3]: nested deeper than 100 levels');
  });

  it('ignores scalars and counts a cycle as too deep', () => {
    expect(() => assertDepth('text', 1, { source: 'x' })).not.toThrow();
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => assertDepth(cyclic, 100, { source: 'x' })).toThrow(/nested deeper than 100 levels/);
  });
});
