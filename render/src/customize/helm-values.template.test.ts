import { describe, expect, it } from 'vitest';
import { templateHelmOptions } from './helm-values.template.js';

const ctx = { ClusterName: 'c1', ClusterLabels: { env: 'prod' }, ClusterValues: {}, ClusterAnnotations: {}, ClusterNamespace: 'ns' };
const values = (v: Record<string, unknown>): unknown => templateHelmOptions({ values: v }, ctx, ctx.ClusterLabels, undefined).values;

describe('templateHelmOptions', () => {
  it('round-trips strings that look like other YAML types unchanged', () => {
    const v = { a: 'yes', b: '1.0', c: 'null', d: '~', e: '0777', f: 'x: y', g: 'multi\nline\n', h: '', i: 'on', j: [1, 'true'] };
    expect(values({ ...v, t: '${ .ClusterName }' })).toEqual({ ...v, t: 'c1' });
  });

  it('keeps a template that needs quoting intact and templates keys', () => {
    expect(values({ a: '${ printf "x: %s" .ClusterName }', '${ .ClusterName }-key': 1 })).toEqual({ a: 'x: c1', 'c1-key': 1 });
  });

  it('lets a template yield structure, but a value YAML must quote stays a string (as go-yaml quotes it)', () => {
    expect(values({ list: '${ list .ClusterName "b" | toJson }' })).toEqual({ list: ['c1', 'b'] });
    expect(values({ flow: '[${ .ClusterName }, b]' })).toEqual({ flow: '[c1, b]' });
  });

  it('reports output that is not YAML', () => {
    expect(() => values({ a: '${ "[" }' })).toThrow(/helm.values: rendered template is not YAML/);
  });
});
