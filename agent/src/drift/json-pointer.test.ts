import { describe, expect, it } from 'vitest';
import { escapeToken, formatPointer, isAtOrBelow, parsePointer, unescapeToken } from './json-pointer.js';

describe('JSON pointers (RFC 6901)', () => {
  it('escapes ~ and / in tokens', () => {
    expect(escapeToken('app.kubernetes.io/name')).toBe('app.kubernetes.io~1name');
    expect(escapeToken('a~b/c')).toBe('a~0b~1c');
    expect(unescapeToken('a~0b~1c')).toBe('a~b/c');
    // ~1 is decoded first, so an escaped "~1" literal round-trips.
    expect(unescapeToken('~01')).toBe('~1');
    expect(escapeToken('~1')).toBe('~01');
  });

  it('formats and parses pointers', () => {
    expect(formatPointer([])).toBe('');
    expect(formatPointer(['metadata', 'labels', 'app.kubernetes.io/name'])).toBe('/metadata/labels/app.kubernetes.io~1name');
    expect(parsePointer('/metadata/annotations/example.com~1note')).toEqual(['metadata', 'annotations', 'example.com/note']);
    expect(parsePointer('')).toEqual([]);
    expect(parsePointer('/')).toEqual(['']);
    expect(parsePointer('spec/replicas')).toBeUndefined();
    expect(parsePointer('/a~2b')).toBeUndefined();
    expect(parsePointer('/a~')).toBeUndefined();
  });

  it('tells whether a path is at or below a pointer, on token boundaries', () => {
    expect(isAtOrBelow('/spec/replicas', '/spec/replicas')).toBe(true);
    expect(isAtOrBelow('/spec/template/spec', '/spec')).toBe(true);
    expect(isAtOrBelow('/spec/replicas', '/spec/rep')).toBe(false);
    expect(isAtOrBelow('/spec', '/spec/replicas')).toBe(false);
    expect(isAtOrBelow('/anything', '')).toBe(true);
  });
});
