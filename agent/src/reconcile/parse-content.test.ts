import { describe, expect, it } from 'vitest';
import { parseContent } from './parse-content.js';

const parse = (value: unknown) => () => parseContent('sha256:r', Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)));
const cm = (name: string, extra: object = {}) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...extra } });

describe('parseContent', () => {
  it('returns the objects of a valid revision', () => {
    expect(parse([cm('a'), cm('b', { annotations: { 'flotilla.dev/wave': '-2' } })])()).toHaveLength(2);
    expect(parse([])()).toEqual([]);
  });

  it('accepts hooks named by generateName, told apart by their prefix', () => {
    const hook = (generateName: string) => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { generateName, annotations: { 'helm.sh/hook': 'post-install' } } });
    expect(parse([hook('migrate-'), hook('seed-'), cm('migrate-')])()).toHaveLength(3);
    expect(parse([hook('migrate-'), hook('migrate-')])).toThrow(/object #1: Job migrate-\* appears more than once/);
  });

  it.each([
    ['{not json', /is not valid JSON/],
    [{ a: 1 }, /is not a JSON array/],
    [[cm('a'), 5], /object #1 is not an object/],
    [[{ kind: 'ConfigMap', metadata: { name: 'a' } }], /object #0 has no apiVersion/],
    [[{ apiVersion: 'v1', metadata: { name: 'a' } }], /object #0 \(v1\) has no kind/],
    [[{ apiVersion: 'v1', kind: 'Pod', metadata: { generateName: 'a-' } }], /object #0 \(Pod\) has no metadata.name \(generateName is supported on hooks only/],
    [[{ apiVersion: 'v1', kind: 'Pod', metadata: { generateName: 'a-', annotations: { 'helm.sh/hook': 'test' } } }], /object #0 \(Pod\) has no metadata.name/],
    [[{ apiVersion: 'v1', kind: 'Pod', metadata: { annotations: { 'helm.sh/hook': 'pre-install' } } }], /object #0 \(Pod\) has no metadata.name/],
    [[cm('a', { annotations: { 'flotilla.dev/wave': 'first' } })], /\(ConfigMap a\): annotation flotilla.dev\/wave "first" is not an integer/],
    [[cm('a', { namespace: 'x' }), cm('a', { namespace: 'x' })], /object #1: ConfigMap x\/a appears more than once/],
  ])('refuses %j', (value, message) => {
    expect(parse(value)).toThrow(message);
  });
});
