import { describe, expect, it } from 'vitest';
import { ManifestError } from './manifest.error.js';
import { parseManifests } from './parse-manifests.js';

const doc = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}}\n`;
const docs = (n: number) => Array.from({ length: n }, (_, i) => doc(`c${i}`)).join('---\n');

function failure(fn: () => unknown): ManifestError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ManifestError) return error;
    throw error;
  }
  throw new Error('expected a ManifestError');
}

/** Calls of String.prototype.charCodeAt while `fn` runs: counts any rescan of the text. */
function charReads(fn: () => unknown): number {
  const original = String.prototype.charCodeAt;
  let calls = 0;
  String.prototype.charCodeAt = function (this: string, index: number) {
    calls++;
    return original.call(this, index);
  };
  try {
    fn();
  } finally {
    String.prototype.charCodeAt = original;
  }
  return calls;
}

describe('parseManifests (core)', () => {
  it('parses YAML and JSON documents and skips empty ones', () => {
    const text = `---\n${doc('a')}---\n---\n{"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "b", "namespace": "x"}}\n`;
    expect(parseManifests(text).map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['ConfigMap/a', 'Secret/b']);
    expect(parseManifests('')).toEqual([]);
  });

  it('names the source, document and line, right after thousands of documents', () => {
    const error = failure(() => parseManifests(`${docs(5_000)}---\n# a comment\napiVersion: v1\nmetadata: {name: x}\n`, { source: 'charts/web/all.yaml' }));
    expect(error.reason).toBe('InvalidObject');
    expect(error.position).toEqual({ source: 'charts/web/all.yaml', document: 5_001, line: 20_002 });
    expect(error.message).toBe('charts/web/all.yaml document 5001 (line 20002): kind is required');
  });

  it('names the line of a syntax error inside the document', () => {
    const error = failure(() => parseManifests(`${doc('a')}---\napiVersion: v1\nkind: a: b\ndata: {}\n`));
    expect(error.reason).toBe('InvalidYaml');
    expect(error.message).toBe('manifests document 2 (line 6): Nested mappings are not allowed in compact mappings');
  });

  it('rejects duplicate keys at their line', () => {
    const error = failure(() => parseManifests(`${doc('a')}---\napiVersion: v1\nkind: ConfigMap\nkind: Secret\n`));
    expect(error.reason).toBe('InvalidYaml');
    expect(error.message).toBe('manifests document 2 (line 7): Map keys must be unique');
  });

  it('rejects scalars and lists as NotAnObject', () => {
    expect(failure(() => parseManifests('just a string')).reason).toBe('NotAnObject');
    expect(failure(() => parseManifests('- a\n- b\n')).message).toBe('manifests document 1 (line 1): must be a Kubernetes object, got a list');
  });

  it('rejects a second object with the same identity, naming where the first is', () => {
    const error = failure(() => parseManifests(`${doc('a')}---\n${doc('b')}---\n${doc('a')}`));
    expect(error.reason).toBe('DuplicateObject');
    expect(error.message).toBe('manifests document 3 (line 9): /ConfigMap /a is already in document 1 (line 1)');
  });

  it('refuses input over maxBytes, counting UTF-8 bytes', () => {
    const text = `${doc('a')}data: {k: "${'é'.repeat(40)}"}\n`; // 51 + 11 + 80 + 3 = 145 bytes
    expect(text.length).toBeLessThan(140);
    const error = failure(() => parseManifests(text, { limits: { maxBytes: 140 } }));
    expect(error.reason).toBe('ManifestTooLarge');
    expect(error.message).toBe('manifests: more than 140 bytes');
    expect(parseManifests(text, { limits: { maxBytes: 146 } })).toHaveLength(1);
  });

  it('stops at the first document past maxDocuments, empty ones included', () => {
    const error = failure(() => parseManifests(`${doc('a')}---\n---\n---\n${doc('b')}`, { limits: { maxDocuments: 3 } }));
    expect(error.reason).toBe('TooManyDocuments');
    expect(error.message).toBe('manifests document 4 (line 6): more than 3 documents (empty ones included)');
  });

  it('stops 48 MB of "---" at the first document past the default limit', () => {
    const error = failure(() => parseManifests('---\n'.repeat(12_000_000)));
    expect(error.reason).toBe('TooManyDocuments');
    expect(error.position).toEqual({ source: 'manifests', document: 20_001, line: 20_001 });
  });

  it('stops at the first object past maxObjects', () => {
    const error = failure(() => parseManifests(docs(6), { limits: { maxObjects: 5 } }));
    expect(error.reason).toBe('TooManyObjects');
    expect(error.message).toBe('manifests document 6 (line 21): more than 5 objects');
  });

  it('accepts maxDepth levels and refuses one more, in YAML and in JSON', () => {
    // The object is level 1, `data` level 2, each list one more.
    const nested = (lists: number) => `{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}, "data": {"k": ${'['.repeat(lists)}${']'.repeat(lists)}}}`;
    expect(parseManifests(nested(8), { limits: { maxDepth: 10 } })).toHaveLength(1);
    const error = failure(() => parseManifests(nested(9), { limits: { maxDepth: 10 } }));
    expect(error.reason).toBe('TooDeep');
    expect(error.message).toBe('manifests document 1 (line 1): nested deeper than 10 levels');
    const block = `${doc('a')}data:\n  a:\n    b:\n      c: 1\n`;
    expect(failure(() => parseManifests(`---\n${block}`, { limits: { maxDepth: 3 } })).message).toBe('manifests document 1 (line 8): nested deeper than 3 levels');
  });

  it('refuses 100,000 levels of nesting as TooDeep, not a RangeError', () => {
    const error = failure(() => parseManifests(`${'['.repeat(100_000)}${']'.repeat(100_000)}`));
    expect(error.reason).toBe('TooDeep');
  });

  it('stops unclosed nesting while it is read, before the document is complete (2,000,000 "[")', () => {
    const stats = { lexemes: 0 };
    const error = failure(() => parseManifests(`${doc('a')}---\n${'['.repeat(2_000_000)}`, { stats }));
    expect(error.reason).toBe('TooDeep');
    expect(error.position).toEqual({ source: 'manifests', document: 2, line: 5 });
    // Read up to the first level past the limit (and a little slack), not the 2,000,000.
    expect(stats.lexemes).toBeLessThan(1_000);
  });

  it('stops at the first stray token between documents, before reading on', () => {
    const stats = { lexemes: 0 };
    const error = failure(() => parseManifests(`${doc('a')}---\n${doc('b')}${']\n'.repeat(100_000)}`, { stats }));
    expect(error.reason).toBe('InvalidYaml');
    expect(error.position).toMatchObject({ document: 2, line: 8 });
    expect(stats.lexemes).toBeLessThan(100);
  });

  it('stops a run of directives before a document', () => {
    const stats = { lexemes: 0 };
    const error = failure(() => parseManifests(`${'%YAML 1.2\n'.repeat(100_000)}---\n${doc('a')}`, { stats }));
    expect(error.reason).toBe('InvalidYaml');
    expect(error.message).toBe('manifests document 1 (line 101): more than 100 directives before a document');
    expect(stats.lexemes).toBeLessThan(1_000);
  });

  it('stops a document longer than maxDocumentLength while reading it', () => {
    const stats = { lexemes: 0 };
    const text = `${doc('a')}---\n${doc('b')}data:\n${Array.from({ length: 10_000 }, (_, i) => `  k${i}: v\n`).join('')}`;
    const error = failure(() => parseManifests(text, { stats, limits: { maxDocumentLength: 1_000 } }));
    expect(error.reason).toBe('DocumentTooLarge');
    // Named by its start, the `---` line.
    expect(error.message).toBe('manifests document 2 (line 4): longer than 1000 characters');
    expect(stats.lexemes).toBeLessThan(1_000);
    expect(parseManifests(text, { limits: { maxDocumentLength: 200_000 } })).toHaveLength(2);
  });

  it('counts nesting that aliases add', () => {
    const text = `${doc('a')}x: &x {a: {b: {c: 1}}}\ny: {a: {b: {c: *x}}}\n`;
    expect(failure(() => parseManifests(text, { limits: { maxDepth: 6 } })).reason).toBe('TooDeep');
    expect(parseManifests(text, { limits: { maxDepth: 8 } })).toHaveLength(1);
  });

  it('refuses more aliases than maxAliasCount', () => {
    const text = `${doc('a')}x: &x [1]\ny: [${Array.from({ length: 20 }, () => '*x').join(', ')}]\n`;
    expect(failure(() => parseManifests(text, { limits: { maxAliasCount: 5 } })).reason).toBe('InvalidYaml');
  });

  it('reads the text a linear number of times: 40,000 documents cost 4x what 10,000 do', () => {
    const limits = { maxDocuments: 50_000, maxObjects: 50_000 };
    const small = docs(10_000);
    const large = docs(40_000);
    const smallReads = charReads(() => parseManifests(small, { limits }));
    const largeReads = charReads(() => parseManifests(large, { limits }));
    expect(largeReads).toBeLessThanOrEqual(5 * Math.max(smallReads, 1));
    expect(largeReads).toBeLessThanOrEqual(3 * large.length);
  });
});
