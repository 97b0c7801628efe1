import { evaluateTemplate, GO_DELIMITERS } from '@flotilla/render';
import { describe, expect, it } from 'vitest';
import { bundleSetFunctions, normalizeName } from './bundleset-functions.js';

const data = { name: 'My_Cluster.', env: 'prod', empty: '', n: 3, m: { b: [1, 2], a: 'x<y' }, list: ['a', 'b'] };
const run = (t: string): string => evaluateTemplate(t, data, { delimiters: GO_DELIMITERS, functions: bundleSetFunctions });

describe('bundleSetFunctions', () => {
  it('has exactly the restricted set and the Go comparison/logic builtins', () => {
    expect(Object.keys(bundleSetFunctions).sort()).toEqual(
      ['and', 'default', 'eq', 'ge', 'gt', 'index', 'le', 'lower', 'lt', 'ne', 'normalize', 'not', 'or', 'replace', 'toJson', 'toYaml', 'trunc', 'upper'].sort(),
    );
  });

  it.each([
    ['{{ .empty | default "d" }} {{ .env | default "d" }} {{ default "d" 0 }}', 'd prod d'],
    ['{{ .env | upper }} {{ "AbC" | lower }}', 'PROD abc'],
    ['{{ .env | replace "o" "0" }} {{ replace "-" "_" "a-b-c" }}', 'pr0d a_b_c'],
    ['{{ trunc 2 "abcd" }} {{ trunc -2 "abcd" }} {{ trunc 9 "ab" }}', 'ab cd ab'],
    ['{{ .m | toJson }}', '{"a":"x\\u003cy","b":[1,2]}'],
    ['{{ .m | toYaml }}', 'a: x<y\nb:\n- 1\n- 2'],
    ['{{ .name | normalize }}', 'my-cluster'],
    ['{{ index .list 1 }} {{ index .m "a" }}', 'b x<y'],
    ['{{ if and (eq .env "prod") (gt .n 2.0) }}big{{ else }}small{{ end }}', 'big'],
    ['{{ or .empty "fallback" }} {{ not .empty }} {{ ne .env "dev" }} {{ le 1 .n }}', 'fallback true true true'],
  ])('%s', (template, expected) => {
    expect(run(template)).toBe(expected);
  });

  it.each(['printf', 'env', 'expandenv', 'getHostByName', 'b64dec', 'len', 'print', 'toString', 'sha256sum', 'fromJson'])(
    'rejects %s (not in the BundleSet set)',
    (name) => {
      expect(() => run(`{{ ${name} "x" }}`)).toThrow(`function "${name}" not defined`);
    },
  );

  it('normalize follows Argo CD SanitizeName', () => {
    expect(normalizeName('Hello World!')).toBe('hello-world');
    expect(normalizeName('--a..b--')).toBe('a..b');
    expect(normalizeName('Ünïcode')).toBe('n-code');
    expect(normalizeName('x'.repeat(300) + '-tail')).toHaveLength(253);
    expect(normalizeName(`${'a'.repeat(252)}-b`)).toBe('a'.repeat(252));
    expect(() => run('{{ normalize .n }}')).toThrow(/error calling normalize: wrong type for value/);
  });
});
