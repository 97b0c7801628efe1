import { describe, expect, it } from 'vitest';
import { diffValues } from './field-diff.js';

describe('diffValues', () => {
  it('finds nothing in equal documents, whatever the key order', () => {
    expect(diffValues({ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 })).toEqual([]);
  });

  it('reports changed leaves with JSON values', () => {
    expect(diffValues({ data: { key: 'want', other: 'same' } }, { data: { key: 'have', other: 'same' } })).toEqual([
      { path: '/data/key', desired: '"want"', live: '"have"' },
    ]);
    expect(diffValues({ spec: { replicas: 3 } }, { spec: { replicas: 1 } })).toEqual([
      { path: '/spec/replicas', desired: '3', live: '1' },
    ]);
  });

  it("uses '' for an absent side", () => {
    expect(diffValues({ a: { x: 1 } }, {})).toEqual([{ path: '/a', desired: '{"x":1}', live: '' }]);
    expect(diffValues({}, { a: null })).toEqual([{ path: '/a', desired: '', live: 'null' }]);
  });

  it('escapes keys in paths', () => {
    const diffs = diffValues({ metadata: { labels: { 'app.kubernetes.io/name': 'a' } } }, { metadata: { labels: { 'app.kubernetes.io/name': 'b' } } });
    expect(diffs.map((d) => d.path)).toEqual(['/metadata/labels/app.kubernetes.io~1name']);
  });

  it('compares arrays of equal length element by element', () => {
    const desired = { containers: [{ name: 'web', image: 'nginx:1.27' }, { name: 'log', image: 'busybox' }] };
    const live = { containers: [{ name: 'web', image: 'nginx:1.26' }, { name: 'log', image: 'busybox' }] };
    expect(diffValues(desired, live)).toEqual([{ path: '/containers/0/image', desired: '"nginx:1.27"', live: '"nginx:1.26"' }]);
  });

  it('reports an array whose length changed as a whole', () => {
    expect(diffValues({ args: ['a', 'b'] }, { args: ['a'] })).toEqual([{ path: '/args', desired: '["a","b"]', live: '["a"]' }]);
  });

  it('reports a type change at the field', () => {
    expect(diffValues({ port: 8080 }, { port: '8080' })).toEqual([{ path: '/port', desired: '8080', live: '"8080"' }]);
    expect(diffValues({ a: { b: 1 } }, { a: [1] })).toEqual([{ path: '/a', desired: '{"b":1}', live: '[1]' }]);
  });

  it('orders diffs by key and reports the whole document at path ""', () => {
    expect(diffValues({ b: 1, a: 1 }, { b: 2, a: 2 }).map((d) => d.path)).toEqual(['/a', '/b']);
    expect(diffValues(1, 2)).toEqual([{ path: '', desired: '1', live: '2' }]);
  });
});
