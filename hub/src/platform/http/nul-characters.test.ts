import { describe, expect, it } from 'vitest';
import { findNul } from './nul-characters.js';

describe('findNul', () => {
  it('finds nothing in clean values', () => {
    expect(findNul({ a: ['x', 1, null, true, { b: 'y' }] })).toBeUndefined();
    expect(findNul(undefined)).toBeUndefined();
  });

  it('names the first string holding a NUL, depth first in document order', () => {
    expect(findNul({ a: 'ok', b: [{ c: 'x' }, { d: 'bad\u0000' }], e: '\u0000' })).toEqual({ path: ['b', 1, 'd'], inKey: false });
    expect(findNul('\u0000')).toEqual({ path: [], inKey: false });
  });

  it('names the object whose key holds a NUL', () => {
    expect(findNul({ labels: { 'k\u0000': 'v' } })).toEqual({ path: ['labels'], inKey: true });
  });

  it('copes with any nesting depth', () => {
    let deep: unknown = '\u0000';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(findNul(deep)?.path).toHaveLength(100_000);
  });
});
