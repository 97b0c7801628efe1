import { describe, expect, it } from 'vitest';
import { isBundleTemplateError, type BundleTemplateError } from './bundle-template.error.js';
import { bundleTemplateSchema } from './bundle-template.schema.js';
import type { BundleTemplate } from './bundle-template.types.js';
import { checkTemplateSyntax } from './check-template-syntax.js';

const check = (t: unknown): BundleTemplateError => {
  try {
    checkTemplateSyntax(t);
  } catch (e) {
    if (isBundleTemplateError(e)) return e;
    throw e;
  }
  throw new Error('no error');
};

describe('checkTemplateSyntax', () => {
  it('accepts a template that parses, whatever keys it reads', () => {
    expect(() => checkTemplateSyntax({ name: '{{ .nope.nothing | normalize }}', gitRepo: 'r', labels: { '{{ .k }}': '{{ .v }}' } })).not.toThrow();
  });

  it.each([
    [{ name: '{{ .a ', gitRepo: 'r' }, 'template.name', 'unclosed action'],
    [{ name: 'n', gitRepo: 'r', helm: { values: { a: { b: ['ok', '{{ if .x }}'] } } } }, 'template.helm.values.a.b[1]', 'without {{end}}'],
    [{ name: 'n', gitRepo: 'r', labels: { '{{ printf "x" }}': 'v' } }, 'template.labels.{{ printf "x" }}', 'function "printf" not defined'],
    [{ name: 'n', gitRepo: 'r', targets: [{ clusterSelector: { matchLabels: { env: '{{ .env }' } } }] }, 'template.targets[0].clusterSelector.matchLabels.env', 'unexpected'],
  ])('reports a syntax error with its field (%#)', (template, field, text) => {
    const e = check(template);
    expect([e.reason, e.field, e.paramSetIndex]).toEqual(['TemplateFailed', field, undefined]);
    expect(e.message).toContain(text);
  });
});

describe('bundleTemplateSchema', () => {
  it('accepts a full template (assignable to BundleTemplate)', () => {
    const input = {
      name: '{{ .cluster.name }}',
      gitRepo: 'apps',
      path: 'x',
      revision: 'v1',
      namespace: 'ns',
      helm: { values: { a: 1 }, valuesFiles: ['v.yaml'] },
      targets: [{ clusterGroup: 'g' }],
      options: { correctDrift: true },
      labels: { a: 'b' },
    };
    const parsed: BundleTemplate = bundleTemplateSchema.parse(input);
    expect(parsed).toEqual(input);
  });

  it.each([
    [{ name: 'n', gitRepo: 'r', nmae: 'x' }, []],
    [{ name: 'n', gitRepo: 'r', helm: { value: {} } }, ['helm']],
    [{ name: 'n', gitRepo: 'r', targets: [{ cluster: 'x' }] }, ['targets', 0]],
    [{ name: 'n', gitRepo: 'r', options: { prune: true } }, ['options']],
    [{ name: '', gitRepo: 'r' }, ['name']],
    [{ gitRepo: 'r' }, ['name']],
  ])('rejects unknown or missing fields with their path (%#)', (input, path) => {
    const result = bundleTemplateSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(path);
  });
});
