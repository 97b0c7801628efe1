import { describe, expect, it } from 'vitest';
import { parseRepoIndex, pickVersion, toNodeRange } from './repo-index.js';

const index = parseRepoIndex(
  `apiVersion: v1\nentries:\n  app:\n${['1.0.0', '1.2.0', '1.2.5', '2.0.0', '2.1.0-rc.1', 'not-semver']
    .map((v) => `  - version: ${v}\n    urls: [app-${v}.tgz]\n`)
    .join('')}`,
  'test/index.yaml',
);

describe('toNodeRange', () => {
  it.each([
    ['>=1.0, <2.0', '>=1.0 <2.0'],
    ['>= 1.0 < 2.0', '>=1.0 <2.0'],
    ['~> 1.2', '~1.2'],
    ['^1.2 || 2.x', '^1.2 || 2.x'],
  ])('%j → %j', (input, expected) => expect(toNodeRange(input)).toBe(expected));
});

describe('pickVersion (helm semantics)', () => {
  it.each([
    ['1.2.0', '1.2.0'],
    ['~1.2', '1.2.5'],
    ['^1.2', '1.2.5'],
    ['>=1.0, <1.2.5', '1.2.0'],
    ['1.2.x', '1.2.5'],
    [undefined, '2.0.0'],
    ['2.1.0-rc.1', '2.1.0-rc.1'],
    ['>=2.1.0-rc.0', '2.1.0-rc.1'],
  ])('%j picks %s', (constraint, expected) => expect(pickVersion(index, 'app', constraint, 'repo').version).toBe(expected));

  it('lists the available versions when nothing matches', () => {
    expect(() => pickVersion(index, 'app', '>=3', 'repo')).toThrow(/no version matches constraint ">=3".*available: 2\.1\.0-rc\.1, 2\.0\.0, 1\.2\.5, 1\.2\.0, 1\.0\.0/);
  });

  it('names the charts there when the chart is missing', () => {
    expect(() => pickVersion(index, 'nope', undefined, 'repo')).toThrow(/chart "nope" not found in repo \(charts there: app\)/);
  });

  it('rejects an index without entries', () => {
    expect(() => parseRepoIndex('apiVersion: v1\n', 'x')).toThrow(/not a Helm repository index/);
  });
});
