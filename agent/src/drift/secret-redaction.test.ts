import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { keyedMarker, redactDrift } from './secret-redaction.js';

const KEY = Buffer.alloc(32, 1);

describe('keyedMarker', () => {
  it('is the first 8 hex digits of HMAC-SHA256 of the JSON text under the key', () => {
    const hmac = createHmac('sha256', KEY).update('"c2VjcmV0"').digest('hex').slice(0, 8);
    expect(keyedMarker(KEY)('"c2VjcmV0"')).toBe(`<redacted:${hmac}>`);
  });

  it('differs between values and between keys, and without a key uses one per process', () => {
    expect(keyedMarker(KEY)('"a"')).not.toBe(keyedMarker(KEY)('"b"'));
    expect(keyedMarker(KEY)('"a"')).not.toBe(keyedMarker(Buffer.alloc(32, 2))('"a"'));
    expect(keyedMarker()('"a"')).toBe(keyedMarker()('"a"'));
    expect(keyedMarker()('"a"')).toMatch(/^<redacted:[0-9a-f]{8}>$/);
  });
});

describe('redactDrift', () => {
  it('marks data and stringData values and a missing Secret, and leaves other kinds alone', () => {
    const mark = (json: string) => JSON.stringify(keyedMarker(KEY)(json));
    const diffs = [
      { path: '', desired: '{"kind":"Secret","data":{"k":"dg=="}}', live: '' },
      { path: '/data/k', desired: '"dg=="', live: '"dw=="' },
      { path: '/stringData/t', desired: '"plain"', live: '' },
    ];
    expect(redactDrift('Secret', diffs, KEY)).toEqual([
      { path: '', desired: mark(diffs[0]!.desired), live: '' },
      { path: '/data/k', desired: mark('"dg=="'), live: mark('"dw=="') },
      { path: '/stringData/t', desired: mark('"plain"'), live: '' },
    ]);
    expect(redactDrift('ConfigMap', diffs, KEY)).toEqual(diffs);
  });
});
