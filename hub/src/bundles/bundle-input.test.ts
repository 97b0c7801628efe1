import { describe, expect, it } from 'vitest';
import { DomainError } from '../platform/errors/domain-error.js';
import { bundleContent } from './bundle-content.js';
import { parseManifests, validateObjects } from './bundle-input.js';

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
    expect(error.message).toMatch(/^document 2 \(line \d+\)/);
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
