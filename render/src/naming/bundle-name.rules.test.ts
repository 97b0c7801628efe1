import { describe, expect, it } from 'vitest';
import { bundleName, helmReleaseName, limit } from './bundle-name.rules.js';

// Cases from fleet internal/names/name_test.go; md5 prefixes re-computed with `printf '%s' … | md5sum`.
const str50 = '1234567890'.repeat(5);
const str53 = `${str50}123`;

describe('limit (Fleet names.Limit)', () => {
  it.each([
    ['1234567', 5, '12345'],
    ['1234567', 7, '1234567'],
    ['12345678', 7, '1-25d55'],
    ['1-3456789', 8, '1-9b657'],
  ])('limit(%s, %i) = %s', (s, n, want) => expect(limit(s, n)).toBe(want));
});

describe('helmReleaseName (Fleet names.HelmReleaseName)', () => {
  it.each([
    [str53, str53],
    [`${str53}a`, '12345678901234567890123456789012345678901234567-fdba4'],
    ['long-name-test-shortpath-with@char', 'long-name-test-shortpath-with-char-031bab5e'],
    ['long-name-test-0.App_ ', 'long-name-test-0-app-5bf6b3fb'],
    ['bundle.name.example.com', 'bundle-name-example-com-645ef821'],
    [`${str53.slice(0, 46)}-1234567`, '1234567890123456789012345678901234567890123456-d0bce'],
  ])('%s → %s', (arg, want) => expect(helmReleaseName(arg)).toBe(want));
});

describe('bundleName', () => {
  it('joins prefix and path; `/` alone needs no checksum', () => {
    expect(bundleName({ prefix: 'my-repo', path: 'apps/web' })).toBe('my-repo-apps-web');
  });
  it('adds the md5 of the dashed name when case changes', () => {
    expect(bundleName({ prefix: 'my-repo', path: 'A/b' })).toBe('my-repo-a-b-309a6716');
  });
  it('the root with a prefix is the prefix', () => {
    expect(bundleName({ prefix: 'my-repo', path: '.' })).toBe('my-repo');
  });
  it('the root without a prefix is md5(".") as in Fleet', () => {
    expect(bundleName({ path: '.' })).toBe('5058f1af');
  });
});
