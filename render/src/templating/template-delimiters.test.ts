import { describe, expect, it } from 'vitest';
import { isRenderError, type RenderError } from '../render.error.js';
import { checkTemplate, evaluateTemplate, hasTemplate } from './evaluate-template.js';
import { GO_DELIMITERS } from './template.types.js';

const data = { cluster: { name: 'c1', labels: { env: 'prod' } }, list: ['a', 'b'] };
const go = (t: string): string => evaluateTemplate(t, data, { delimiters: GO_DELIMITERS });
const goFail = (t: string): RenderError => {
  try {
    go(t);
  } catch (e) {
    if (isRenderError(e)) return e;
    throw e;
  }
  throw new Error(`no error for ${t}`);
};

describe('template delimiters', () => {
  it('evaluates {{ }} actions and leaves ${ } as text', () => {
    expect(go('{{ .cluster.name }}-{{.cluster.labels.env}}')).toBe('c1-prod');
    expect(go('${ .cluster.name } {{ .cluster.name }}')).toBe('${ .cluster.name } c1');
    expect(go('{{ range $i, $v := .list }}{{ $i }}{{ $v }}{{ end }}')).toBe('0a1b');
  });

  it('keeps ${ } the default: {{ }} is plain text for Fleet templates', () => {
    expect(evaluateTemplate('{{ .x }} ${ .cluster.name }', data)).toBe('{{ .x }} c1');
  });

  it('trims at {{- and -}} and skips {{/* */}} comments', () => {
    expect(go('a  {{- "b" -}}  c{{/* note */}}d  {{- /* trimmed */ -}}  e')).toBe('abcde');
  });

  it('reads }} inside a string literal as data, not as the closing delimiter', () => {
    expect(go('{{ "}}{{" }}')).toBe('}}{{');
  });

  it('rejects a lone } and an unclosed action with {{ }}', () => {
    expect(goFail('{{ .cluster.name }').reason).toBe('TemplateFailed');
    expect(goFail('{{ .cluster.name ').message).toContain('unclosed action');
    expect(goFail('{{ if true }}x').message).toContain('without {{end}}');
  });

  it('names the missing key with {{ }} (missingkey=error)', () => {
    expect(goFail('{{ .cluster.labels.region }}').message).toContain('map has no entry for key "region"');
  });

  it('parses without evaluating (checkTemplate)', () => {
    expect(() => checkTemplate('{{ .does.not.exist }}', { delimiters: GO_DELIMITERS })).not.toThrow();
    expect(() => checkTemplate('{{ nope }}', { delimiters: GO_DELIMITERS, field: 'f' })).toThrow(/f: function "nope" not defined/);
    expect(() => checkTemplate('${ .a ', {})).toThrow(/unclosed action/);
  });

  it('hasTemplate looks for the left delimiter given', () => {
    expect(hasTemplate('a ${ x }')).toBe(true);
    expect(hasTemplate('a {{ x }}')).toBe(false);
    expect(hasTemplate('a {{ x }}', GO_DELIMITERS)).toBe(true);
  });
});
