import { describe, expect, it } from 'vitest';
import { isRenderError, type RenderError } from '../render.error.js';
import { evaluateTemplate } from './evaluate-template.js';

const data = {
  ClusterName: 'c1',
  ClusterNamespace: 'fleet-default',
  ClusterLabels: { env: 'prod', 'a/b': 'x' },
  ClusterAnnotations: {},
  ClusterValues: { n: 3, list: ['a', 'b'], m: { k2: 2, k1: 1 }, empty: [] },
};
const run = (t: string): string => evaluateTemplate(t, data);
const fail = (t: string, opts = {}): RenderError => {
  try {
    evaluateTemplate(t, data, { field: 'f', ...opts });
  } catch (e) {
    if (isRenderError(e)) return e;
    throw e;
  }
  throw new Error(`no error for ${t}`);
};

describe('evaluateTemplate', () => {
  it('prints fields, variables and literals', () => {
    expect(run('name=${ .ClusterName } ns=${ $.ClusterNamespace }')).toBe('name=c1 ns=fleet-default');
    expect(run('${ 42 } ${ "s" } ${ true } ${ 1.5 } ${ 0x10 }')).toBe('42 s true 1.5 16');
    expect(run('${ $x := .ClusterName }${ $x }${ $x = "z" }${ $x }')).toBe('c1z');
  });

  it('prints maps and lists the way Go does', () => {
    expect(run('${ .ClusterValues.m } ${ .ClusterValues.list }')).toBe('map[k1:1 k2:2] [a b]');
    expect(run('${ index .ClusterLabels "missing" }')).toBe('<no value>');
  });

  it('pipes the previous value as the last argument', () => {
    expect(run('${ .ClusterName | printf "%s-%s" "x" }')).toBe('x-c1');
    expect(run('${ (index .ClusterValues.list 1) | upper }')).toBe('B');
  });

  it('runs if/else if/else, with and range (lists, maps in key order, else, break)', () => {
    expect(run('${ if eq .ClusterName "x" }1${ else if eq .ClusterName "c1" }2${ else }3${ end }')).toBe('2');
    expect(run('${ with .ClusterValues.empty }no${ else }empty${ end }')).toBe('empty');
    expect(run('${ range $i, $v := .ClusterValues.list }${ $i }${ $v }${ end }')).toBe('0a1b');
    expect(run('${ range $k, $v := .ClusterValues.m }${ $k }=${ $v } ${ end }')).toBe('k1=1 k2=2 ');
    expect(run('${ range .ClusterValues.empty }x${ else }none${ end }')).toBe('none');
    expect(run('${ range .ClusterValues.list }${ if eq . "b" }${ break }${ end }${ . }${ end }')).toBe('a');
  });

  it('trims whitespace at ${- and -} and skips comments', () => {
    expect(run('a  ${- "b" -}  c${/* note */}')).toBe('abc');
  });

  it('prints a raw string for the escape syntax', () => {
    expect(run('${`${PWD}`}')).toBe('${PWD}');
  });

  it('short-circuits and/or', () => {
    expect(run('${ or .ClusterValues.empty "fallback" }')).toBe('fallback');
    expect(run('${ and false .ClusterLabels.nope }')).toBe('false');
  });

  it('fails on a missing key, naming the key and the field (missingkey=error)', () => {
    const e = fail('${ .ClusterLabels.region }', { file: 'fleet.yaml' });
    expect(e.reason).toBe('TemplateFailed');
    expect(e.location).toEqual({ file: 'fleet.yaml', field: 'f' });
    expect(e.message).toContain('"region"');
  });

  it('fails on malformed templates and unknown functions', () => {
    for (const t of ['${ .ClusterName', '${ if true }x', '${ end }', '${ nope 1 }', '${ env "HOME" }', '${ "a" | 3 }', '${ | }']) {
      expect(fail(t).reason, t).toBe('TemplateFailed');
    }
  });

  it('bounds length, output, range iterations and depth', () => {
    expect(fail('${ 1 }', { limits: { maxTemplateLength: 3 } }).reason).toBe('TemplateFailed');
    expect(fail('${ range 100 }xxxxxxxxxx${ end }', { limits: { maxOutputLength: 50 } }).reason).toBe('OutputTooLarge');
    expect(fail('${ range 10001 }${ end }').message).toContain('iterations');
    expect(fail('${ if true }'.repeat(150) + '${ end }'.repeat(150)).message).toContain('nested');
    expect(fail('${ ' + '('.repeat(150) + '1' + ')'.repeat(150) + ' }').message).toContain('nested');
  });
});
