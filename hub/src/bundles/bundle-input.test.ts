import { describe, expect, it } from 'vitest';
import { DomainError } from '../platform/errors/domain-error.js';
import { bundleContent } from './bundle-content.js';
import { MAX_BUNDLE_OBJECTS, parseManifests, validateObjects } from './bundle-input.js';

const cm = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { a: '1' } });

function failure(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    return error as DomainError;
  }
  throw new Error('expected an error');
}

describe('parseManifests', () => {
  it('parses multi-document YAML and skips empty documents', () => {
    const objects = parseManifests('---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n');
    expect(objects.map((o) => o.metadata.name)).toEqual(['a', 'b']);
  });

  it('names the document and line of a YAML syntax error', () => {
    const error = failure(() => parseManifests('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: [oops\n'));
    expect(error).toBeInstanceOf(DomainError);
    expect(error.reason).toBe('InvalidManifest');
    expect(error.message).toMatch(/^manifests document 2 \(line \d+\)/);
  });

  it('names the document of an object without kind, and rejects scalars', () => {
    expect(failure(() => parseManifests('apiVersion: v1\nmetadata: {name: a}\n')).message).toBe('manifests document 1 (line 1): kind is required');
    expect(failure(() => parseManifests('just a string')).message).toContain('must be a Kubernetes object');
  });

  it('rejects duplicate keys', () => {
    expect(failure(() => parseManifests('apiVersion: v1\napiVersion: v2\n')).reason).toBe('InvalidManifest');
  });
});

describe('validateObjects', () => {
  it('rejects duplicates and missing names with the index', () => {
    expect(failure(() => validateObjects([cm('a'), cm('a')])).field).toBe('resources[1]');
    expect(failure(() => validateObjects([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'x-' } }])).message).toContain('metadata.name is required');
  });
});

describe('bundleContent', () => {
  it('gives identical content the same revision and different content another', () => {
    expect(bundleContent([cm('a')]).revision).toBe(bundleContent([cm('a')]).revision);
    expect(bundleContent([cm('a')]).revision).not.toBe(bundleContent([cm('b')]).revision);
    expect(bundleContent([cm('a')]).revision).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
});

// Issue #9: parsing is linear in the input and bounded while it runs.
describe('parseManifests bounds', () => {
  const doc = (i: number) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c${i}}\n`;
  const body = (n: number) => Array.from({ length: n }, (_, i) => doc(i)).join('---\n');

  // Linear work (one pass over the text) is @flotilla/core's parser's own test (core/src/manifests/parse-manifests.test.ts).

  it('names the line of a document after thousands of others', () => {
    const text = `${body(3_000)}---\napiVersion: v1\nmetadata: {name: x}\n`;
    expect(failure(() => parseManifests(text)).message).toBe('manifests document 3001 (line 12001): kind is required');
  });

  it('counts empty documents and stops at the first one past the limit', () => {
    const error = failure(() => parseManifests('---\n'.repeat(20_001)));
    expect(error.reason).toBe('InvalidManifest');
    expect(error.field).toBe('manifests');
    expect(error.message).toBe('manifests document 20001 (line 20001): more than 20000 documents (empty ones included)');
  });

  it('stops at the first object past the object limit and names it', () => {
    const error = failure(() => parseManifests(body(MAX_BUNDLE_OBJECTS + 1)));
    expect(error.message).toBe(`manifests document 10001 (line 40001): more than ${MAX_BUNDLE_OBJECTS} objects`);
  });

  it('rejects YAML or JSON nested deeper than the limit, however deep, without a RangeError', () => {
    const deep = `{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}, "data": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const error = failure(() => parseManifests(deep));
    expect(error).toBeInstanceOf(DomainError);
    expect(error.message).toMatch(/^manifests document 1 \(line 1\): nested deeper than 100 levels/);
  });
});

describe('validateObjects depth', () => {
  it('rejects a resource nested 10,000 deep with its index, not a RangeError later', () => {
    let data: unknown = 'leaf';
    for (let i = 0; i < 10_000; i++) data = { d: data };
    const error = failure(() => validateObjects([cm('a'), { ...cm('b'), data }]));
    expect(error).toBeInstanceOf(DomainError);
    expect(error.reason).toBe('InvalidManifest');
    expect(error.field).toBe('resources[1]');
    expect(error.message).toBe('resources[1]: nested deeper than 100 levels');
  });
});
