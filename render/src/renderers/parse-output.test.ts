import { describe, expect, it } from 'vitest';
import { blankKindlessDocuments, helmSourceAt, parseObjects } from './parse-output.js';

describe('parse-output', () => {
  it('blanks documents without apiVersion or kind, keeping lines', () => {
    const text = 'replicas: 3\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\nx: [1,\n';
    const out = blankKindlessDocuments('a: 1\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n');
    expect(out.split('\n')).toHaveLength(7);
    expect(parseObjects(out, 'f.yaml', () => ({})).map((o) => o.metadata.name)).toEqual(['a']);
    // Broken YAML is left for the parser to report.
    expect(blankKindlessDocuments(text)).toBe(text);
  });
  it('maps parse errors to a location', () => {
    expect(() => parseObjects('a: b: c\n', 'f.yaml', (line) => ({ file: 'f.yaml', line }))).toThrow(expect.objectContaining({ reason: 'InvalidManifest', location: { file: 'f.yaml', line: 1 } }));
  });
  it('finds the template a helm output line came from', () => {
    const out = '---\n# Source: demo/templates/a.yaml\na: 1\n---\n# Source: demo/charts/sub/templates/b.yaml\nb: 2\n';
    expect(helmSourceAt(out, 3)).toBe('templates/a.yaml');
    expect(helmSourceAt(out, 6)).toBe('charts/sub/templates/b.yaml');
    expect(helmSourceAt(out, 1)).toBeUndefined();
  });
});
