import { describe, expect, it } from 'vitest';
import { joinParts, splitParts } from './parts.js';

describe('parts', () => {
  it('splits into bounded parts and joins them back in any order', () => {
    const data = Buffer.from(Array.from({ length: 2500 }, (_, i) => i % 251));
    const parts = splitParts(data, 1000);
    expect(parts.map((p) => p.length)).toEqual([1000, 1000, 500]);
    const shuffled: [number, Buffer][] = [[2, parts[2]!], [0, parts[0]!], [1, parts[1]!]];
    expect(joinParts(shuffled, 3).equals(data)).toBe(true);
  });

  it('keeps empty content as one empty part', () => {
    expect(splitParts(Buffer.alloc(0), 10)).toHaveLength(1);
  });

  it('fails when a part is missing', () => {
    const parts = splitParts(Buffer.alloc(30), 10);
    expect(() => joinParts([[0, parts[0]!], [2, parts[2]!]], 3)).toThrow(/part 1 of 3 is missing/);
  });
});
