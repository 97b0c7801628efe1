import { describe, expect, it } from 'vitest';
import { REDACTED, isRedactionMarker, redactSecretDiffs, sanitizingMarker } from './secret-redaction.rules.js';

const m = JSON.stringify(REDACTED);
const b64 = (s: string) => JSON.stringify(Buffer.from(s).toString('base64'));
const LAST_APPLIED = '/metadata/annotations/kubectl.kubernetes.io~1last-applied-configuration';

describe('redactSecretDiffs', () => {
  it('replaces an edited data value on both sides, keeping the path', () => {
    const diffs = [{ path: '/data/password', desired: b64('hunter2'), live: b64('edited') }];
    expect(redactSecretDiffs('Secret', diffs)).toEqual([{ path: '/data/password', desired: m, live: m }]);
  });

  it('replaces stringData values, and keeps an absent side absent', () => {
    expect(redactSecretDiffs('Secret', [{ path: '/stringData/token', desired: '"plain"', live: '' }])).toEqual([{ path: '/stringData/token', desired: m, live: '' }]);
  });

  it('keeps the key names of a whole data map, not its values', () => {
    const diffs = [{ path: '/data', desired: JSON.stringify({ a: 'YQ==', b: 'Yg==' }), live: '' }];
    expect(redactSecretDiffs('Secret', diffs)).toEqual([{ path: '/data', desired: JSON.stringify({ a: REDACTED, b: REDACTED }), live: '' }]);
  });

  it('reports a missing Secret without its body', () => {
    const body = JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'n' }, data: { k: 'c2VjcmV0' } });
    expect(redactSecretDiffs('Secret', [{ path: '', desired: body, live: '' }])).toEqual([{ path: '', desired: m, live: '' }]);
  });

  it('redacts the last-applied annotation at its path and inside a parent value', () => {
    const copy = JSON.stringify({ data: { k: 'c2VjcmV0' } });
    expect(redactSecretDiffs('Secret', [{ path: LAST_APPLIED, desired: '', live: JSON.stringify(copy) }])).toEqual([{ path: LAST_APPLIED, desired: '', live: m }]);
    const annotations = JSON.stringify({ team: 'a', 'kubectl.kubernetes.io/last-applied-configuration': copy });
    const [redacted] = redactSecretDiffs('Secret', [{ path: '/metadata/annotations', desired: '', live: annotations }]);
    expect(JSON.parse(redacted!.live)).toEqual({ team: 'a', 'kubectl.kubernetes.io/last-applied-configuration': REDACTED });
  });

  it('leaves other fields of a Secret alone, and a parent without sensitive members unchanged', () => {
    const diffs = [
      { path: '/type', desired: '"Opaque"', live: '"kubernetes.io/tls"' },
      { path: '/metadata/labels/app', desired: '"a"', live: '"b"' },
      { path: '/metadata/annotations', desired: '{"team":"a"}', live: '' },
    ];
    expect(redactSecretDiffs('Secret', diffs)).toEqual(diffs);
  });

  it('does not touch other kinds', () => {
    const diffs = [{ path: '/data/key', desired: '"applied"', live: '"edited"' }, { path: '', desired: '{"data":{"k":"v"}}', live: '' }];
    expect(redactSecretDiffs('ConfigMap', diffs)).toBe(diffs);
  });

  it('turns values that are not JSON into one marker where structure was needed', () => {
    expect(redactSecretDiffs('Secret', [{ path: '/data', desired: '{not json', live: '' }, { path: '/metadata', desired: 'nope', live: '' }])).toEqual([
      { path: '/data', desired: m, live: '' },
      { path: '/metadata', desired: m, live: '' },
    ]);
  });

  it('uses the given marker per value', () => {
    const mark = (json: string) => `<redacted:${json.length.toString(16).padStart(8, '0')}>`;
    expect(redactSecretDiffs('Secret', [{ path: '/data/k', desired: '"abc"', live: '"abcd"' }], mark)).toEqual([
      { path: '/data/k', desired: '"<redacted:00000005>"', live: '"<redacted:00000006>"' },
    ]);
  });
});

describe('sanitizingMarker (the hub)', () => {
  it("keeps an agent's marker and replaces anything else, so redacting twice changes nothing", () => {
    expect(sanitizingMarker('"<redacted:0a1b2c3d>"')).toBe('<redacted:0a1b2c3d>');
    expect(sanitizingMarker('"<redacted:SECRET!!>"')).toBe(REDACTED);
    expect(sanitizingMarker('"c2VjcmV0"')).toBe(REDACTED);
    const once = redactSecretDiffs('Secret', [{ path: '/data', desired: '{"a":"<redacted:0a1b2c3d>","b":"Yg=="}', live: '' }]);
    expect(once).toEqual([{ path: '/data', desired: '{"a":"<redacted:0a1b2c3d>","b":"<redacted>"}', live: '' }]);
    expect(redactSecretDiffs('Secret', once)).toEqual(once);
  });

  it('recognises markers only in their exact form', () => {
    expect(isRedactionMarker(REDACTED)).toBe(true);
    expect(isRedactionMarker('<redacted:0123abcd>')).toBe(true);
    expect(isRedactionMarker('<redacted:0123abcd> and more')).toBe(false);
    expect(isRedactionMarker(42)).toBe(false);
  });
});
