import { describe, expect, it } from 'vitest';
import type { ComparePatch } from './drift.types.js';
import { filterIgnored, ignoredPointers, isIgnored, removePointers, ruleMatches } from './ignore-rules.js';

const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' } };
const rule = (fields: Partial<ComparePatch>): ComparePatch => ({ apiVersion: '', kind: '', namespace: '', name: '', jsonPointers: [], ...fields });

describe('ruleMatches', () => {
  it('matches on every non-empty selector field', () => {
    expect(ruleMatches(rule({}), deployment)).toBe(true);
    expect(ruleMatches(rule({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' }), deployment)).toBe(true);
    expect(ruleMatches(rule({ kind: 'StatefulSet' }), deployment)).toBe(false);
    expect(ruleMatches(rule({ apiVersion: 'apps/v1beta1' }), deployment)).toBe(false);
    expect(ruleMatches(rule({ namespace: 'other' }), deployment)).toBe(false);
    expect(ruleMatches(rule({ name: 'api' }), deployment)).toBe(false);
  });

  it('does not match a namespaced rule against a cluster-scoped object', () => {
    const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } };
    expect(ruleMatches(rule({ namespace: 'shop' }), ns)).toBe(false);
    expect(ruleMatches(rule({ kind: 'Namespace' }), ns)).toBe(true);
  });
});

describe('ignoredPointers', () => {
  it('collects the valid pointers of matching rules, once', () => {
    const rules = [
      rule({ kind: 'Deployment', jsonPointers: ['/spec/replicas', 'spec/bad'] }),
      rule({ name: 'web', jsonPointers: ['/spec/replicas', '/metadata/labels/team'] }),
      rule({ kind: 'Service', jsonPointers: ['/spec/clusterIP'] }),
    ];
    expect(ignoredPointers(rules, deployment)).toEqual(['/spec/replicas', '/metadata/labels/team']);
  });
});

describe('isIgnored / filterIgnored', () => {
  it('drops diffs at or below an ignored pointer', () => {
    const diffs = [
      { path: '/spec/replicas', desired: '3', live: '1' },
      { path: '/spec/template/spec/containers/0/image', desired: '"a"', live: '"b"' },
      { path: '/metadata/annotations/example.com~1note', desired: '', live: '"x"' },
    ];
    expect(filterIgnored(diffs, ['/spec/replicas', '/metadata/annotations/example.com~1note'])).toEqual([diffs[1]]);
    expect(isIgnored('/spec/replicasX', ['/spec/replicas'])).toBe(false);
  });
});

describe('removePointers', () => {
  const obj = {
    metadata: { labels: { app: 'web', team: 'a' }, annotations: { 'example.com/note': 'x' } },
    spec: { replicas: 3, template: { spec: { containers: [{ name: 'web', image: 'nginx' }, { name: 'log', image: 'busybox' }] } } },
  };

  it('removes the named fields without touching the input', () => {
    const out = removePointers(obj, ['/spec/replicas', '/metadata/labels/team', '/metadata/annotations/example.com~1note']);
    expect(out).toEqual({
      metadata: { labels: { app: 'web' }, annotations: {} },
      spec: { template: obj.spec.template },
    });
    expect(obj.spec.replicas).toBe(3);
    expect(obj.metadata.labels.team).toBe('a');
  });

  it('nulls array elements instead of shifting the rest, and removes fields inside them', () => {
    const out = removePointers(obj, ['/spec/template/spec/containers/1/image', '/spec/template/spec/containers/0']);
    expect(out.spec.template.spec.containers).toEqual([null, { name: 'log' }]);
  });

  it('ignores pointers to missing fields, out-of-range indices and invalid pointers', () => {
    expect(removePointers(obj, ['/spec/nope/deeper', '/spec/template/spec/containers/7', '/spec/template/spec/containers/x', 'bad', ''])).toEqual(obj);
  });
});
