import { describe, expect, it } from 'vitest';
import type { ParamSet } from '../generators/generator.types.js';
import { BundleTemplateError, isBundleTemplateError } from './bundle-template.error.js';
import type { BundleTemplate } from './bundle-template.types.js';
import { renderBundleTemplate, renderTemplateStrings } from './render-bundle-template.js';

const params: ParamSet = {
  cluster: { name: 'Edge_01', labels: { env: 'prod', region: 'eu-west' } },
  replicas: 3,
  secret: 's3cr3t',
};

const base: BundleTemplate = { name: 'app-{{ .cluster.name | normalize }}', gitRepo: 'apps' };

const render = (t: unknown, p: ParamSet = params, paramSetIndex = 0) => renderBundleTemplate(t as BundleTemplate, p, { paramSetIndex });
const fail = (t: unknown, p: ParamSet = params, paramSetIndex = 0): BundleTemplateError => {
  try {
    render(t, p, paramSetIndex);
  } catch (e) {
    if (isBundleTemplateError(e)) return e;
    throw e;
  }
  throw new Error('no error');
};

describe('renderBundleTemplate', () => {
  it('renders every string over the parameter set and fills the defaults', () => {
    expect(render(base)).toEqual({
      name: 'app-edge-01',
      gitRepo: 'apps',
      path: '.',
      targets: [],
      options: { correctDrift: false, keepResources: false },
      labels: {},
    });
  });

  it('renders nested values and lists, copying numbers, booleans and null', () => {
    const spec = render({
      ...base,
      path: './charts/{{ .cluster.labels.region }}/',
      namespace: '{{ .cluster.labels.env }}',
      helm: { values: { replicas: 2, image: { tag: 'v-{{ .replicas }}', pull: null, debug: false }, zones: ['{{ .cluster.labels.region }}-a', 1] }, valuesFiles: ['values/{{ .cluster.labels.env }}.yaml'] },
      targets: [{ clusterName: '{{ .cluster.name }}' }, { clusterSelector: { matchLabels: { env: '{{ .cluster.labels.env }}' } } }],
      options: { correctDrift: true },
    });
    expect(spec.path).toBe('charts/eu-west');
    expect(spec.namespace).toBe('prod');
    expect(spec.helm).toEqual({ values: { replicas: 2, image: { tag: 'v-3', pull: null, debug: false }, zones: ['eu-west-a', 1] }, valuesFiles: ['values/prod.yaml'] });
    expect(spec.targets).toEqual([{ clusterName: 'Edge_01' }, { clusterSelector: { matchLabels: { env: 'prod' } } }]);
    expect(spec.options).toEqual({ correctDrift: true, keepResources: false });
  });

  it('templates map keys (helm.values and labels)', () => {
    const spec = render({ ...base, helm: { values: { '{{ .cluster.labels.env }}Replicas': '{{ .replicas }}' } }, labels: { 'team/{{ .cluster.labels.region }}': '{{ .cluster.labels.env }}' } });
    expect(spec.helm?.values).toEqual({ prodReplicas: '3' });
    expect(spec.labels).toEqual({ 'team/eu-west': 'prod' });
  });

  it('treats an empty revision or namespace as absent (Go zero value)', () => {
    const spec = render({ ...base, revision: '{{ .empty }}', namespace: '' }, { ...params, empty: '' });
    expect(spec).not.toHaveProperty('revision');
    expect(spec).not.toHaveProperty('namespace');
  });

  describe('a parameter value is data, never a template', () => {
    it.each([
      ['{{ .secret }}', '{{ .secret }}'],
      ['}}{{ printf "%s" .secret }}', '}}{{ printf "%s" .secret }}'],
      ['{{/* */}}{{- range 1000 }}x{{ end }}', '{{/* */}}{{- range 1000 }}x{{ end }}'],
    ])('a cluster label %s comes out verbatim', (evil, expected) => {
      const p = { ...params, cluster: { name: 'c', labels: { env: evil } } };
      const spec = render({ ...base, helm: { values: { env: '{{ .cluster.labels.env }}', key: { '{{ .cluster.labels.env }}': 1 } } } }, p);
      expect(spec.helm?.values).toEqual({ env: expected, key: { [expected]: 1 } });
    });

    it('a value that is itself a map is printed, not walked', () => {
      const spec = render({ ...base, helm: { values: { v: '{{ .nested }}' } } }, { ...params, nested: { a: '{{ .secret }}' } });
      expect(spec.helm?.values).toEqual({ v: 'map[a:{{ .secret }}]' });
    });

    it('a key that comes out "__proto__" is InvalidOutput (never a prototype)', () => {
      const e = fail({ ...base, helm: { values: { '{{ .k }}': { polluted: true } } } }, { ...params, k: '__proto__' });
      expect([e.reason, e.field]).toEqual(['InvalidOutput', 'template.helm.values.{{ .k }}']);
      expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    });
  });

  describe('errors', () => {
    it('a missing key names the key, the field and the parameter set', () => {
      const e = fail({ ...base, helm: { values: { replicas: '{{ .cluster.labels.size }}' } } }, params, 4);
      expect(e).toBeInstanceOf(BundleTemplateError);
      expect(e.reason).toBe('TemplateFailed');
      expect(e.field).toBe('template.helm.values.replicas');
      expect(e.paramSetIndex).toBe(4);
      expect(e.message).toContain('map has no entry for key "size"');
      expect(e.message).toContain('template.helm.values.replicas');
      expect(e.message).toContain('parameter set 4');
    });

    it('a missing key inside a map key names the key field', () => {
      const e = fail({ ...base, labels: { '{{ .team }}': 'x' } });
      expect([e.reason, e.field]).toEqual(['TemplateFailed', 'template.labels.{{ .team }}']);
      expect(e.message).toContain('"team"');
    });

    it('a syntax error or an unknown function names the field', () => {
      expect(fail({ ...base, targets: [{ clusterName: '{{ .cluster.name ' }] })).toMatchObject({ reason: 'TemplateFailed', field: 'template.targets[0].clusterName' });
      expect(fail({ ...base, namespace: '{{ env "HOME" }}' }).message).toContain('function "env" not defined');
    });

    it.each([
      [{ ...base, name: '{{ .cluster.name }}' }, 'template.name', 'DNS-1123'],
      [{ ...base, name: 'a'.repeat(254) }, 'template.name', '253'],
      [{ ...base, path: '{{ .p }}' }, 'template.path', 'escapes'],
      [{ ...base, path: '/etc' }, 'template.path', 'absolute'],
      [{ ...base, helm: { valuesFiles: ['../../secrets.yaml'] } }, 'template.helm.valuesFiles[0]', 'escapes'],
      [{ ...base, labels: { env: '{{ .cluster.name }} x' } }, 'template.labels.env', 'label value'],
      [{ ...base, labels: { 'Bad Key': 'x' } }, 'template.labels.Bad Key', 'label key'],
      [{ ...base, targets: [{}] }, 'template.targets[0]', 'clusterName, clusterSelector or clusterGroup'],
      [{ ...base, targets: [{ clusterSelector: { matchLabels: { env: '{{ .cluster.name }}!' } } }] }, 'template.targets[0].clusterSelector.matchLabels.env', 'label value'],
      [{ ...base, targets: [{ clusterNames: 'x' }] }, 'template.targets[0]', ''],
      [{ ...base, extra: 1 }, 'template', 'extra'],
      [{ ...base, options: { correctDrift: 'true' } }, 'template.options.correctDrift', ''],
    ])('bad output %# is InvalidOutput at the field', (template, field, text) => {
      const e = fail(template, { ...params, p: 'a/../../..' });
      expect([e.reason, e.field]).toEqual(['InvalidOutput', field]);
      expect(e.message).toContain(text);
    });

    it('two keys that come out the same are InvalidOutput', () => {
      expect(fail({ ...base, labels: { '{{ .a }}': 'x', b: 'y' } }, { ...params, a: 'b' })).toMatchObject({ reason: 'InvalidOutput', field: 'template.labels.b' });
    });
  });

  it('renderTemplateStrings renders any spec under the field given, without the bundle checks', () => {
    const spec = { gitFiles: { path: 'clusters/{{ .cluster.labels.region }}/*.yaml', depth: 2 } };
    expect(renderTemplateStrings(spec, params, { paramSetIndex: 1, field: 'generators[0].matrix.generators[1]' })).toEqual({ gitFiles: { path: 'clusters/eu-west/*.yaml', depth: 2 } });
    expect(() => renderTemplateStrings({ p: '{{ .nope }}' }, params, { paramSetIndex: 1, field: 'generators[1]' })).toThrow(
      'generators[1].p: map has no entry for key "nope" (at .nope) (parameter set 1)',
    );
  });

  describe('bounds', () => {
    it('bounds the total output of one rendering', () => {
      const big = { ...params, blob: 'x'.repeat(100 * 1024) };
      const values = { a: '{{ .blob }}', b: '{{ .blob }}', c: '{{ .blob }}' };
      expect(fail({ ...base, helm: { values } }, big)).toMatchObject({ reason: 'OutputTooLarge', field: 'template.helm.values.c' });
      expect(render({ ...base, helm: { values: { a: '{{ .blob }}' } } }, big).helm?.values?.a).toHaveLength(100 * 1024);
    });

    it('stops a single string that grows past the bound (range)', () => {
      expect(fail({ ...base, helm: { values: { a: '{{ range 10000 }}{{ $.secret }}{{ $.secret }}{{ $.secret }}{{ $.secret }}{{ $.secret }}{{ end }}' } } }).reason).toBe('OutputTooLarge');
    });

    it('bounds the number of strings and the nesting', () => {
      const many = Object.fromEntries(Array.from({ length: 6000 }, (_, i) => [`k${i}`, 'v']));
      expect(fail({ ...base, helm: { values: many } }).reason).toBe('OutputTooLarge');
      let deep: unknown = 'x';
      for (let i = 0; i < 100; i++) deep = { d: deep };
      expect(fail({ ...base, helm: { values: deep } }).message).toContain('nested deeper');
    });
  });
});
