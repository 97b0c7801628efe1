import { templateFunctions, type FunctionMap, type TemplateFunction } from '@flotilla/render';
import { stringify } from 'yaml';

/** Most characters `normalize` keeps: a DNS-1123 subdomain's limit. */
const MAX_DNS_NAME_LENGTH = 253;

/**
 * Argo CD's `normalize` (`SanitizeName`, argo-cd `applicationset/utils/utils.go`): lower-cases,
 * turns every character outside `[-a-z0-9.]` into `-`, cuts to 253 characters, then trims `-` and
 * `.` from both ends, so a cluster name like `My_Cluster.` becomes the DNS name `my-cluster`.
 */
export function normalizeName(name: unknown): string {
  // Go's SanitizeName takes a string: text/template rejects anything else.
  if (typeof name !== 'string') throw new Error(`wrong type for value; expected string; got ${name === null || name === undefined ? 'nil' : typeof name}`);
  const lowered = name.toLowerCase();
  // One `-` per code point (Go's regexp works on runes), so `é` is one `-`, not two.
  const replaced = lowered.replace(/[^-a-z0-9.]/gu, '-').slice(0, MAX_DNS_NAME_LENGTH);
  return replaced.replace(/^[-.]+|[-.]+$/g, '');
}

/**
 * Argo CD's `toYaml` (argo-cd `applicationset/utils/utils.go` `toYAML`): sigs.k8s.io/yaml's Marshal,
 * which goes through JSON (map keys sorted; go-yaml style, lists not indented under their key),
 * without the final newline.
 */
export function toYaml(value: unknown): string {
  const json: unknown = JSON.parse(JSON.stringify(value ?? null) ?? 'null');
  return stringify(json, { sortMapEntries: true, lineWidth: 0, indentSeq: false }).replace(/\n$/, '');
}

/** The Fleet (Sprig) implementations BundleSets share, with Sprig's semantics. */
const SPRIG_NAMES = ['default', 'lower', 'upper', 'replace', 'trunc', 'toJson'] as const;

/**
 * Go text/template's comparison and boolean builtins, which every Go template has (and `and`/`or`
 * short-circuit in the engine). Go's other builtins (`len`, `print*`, `html`, `js`, `urlquery`,
 * `slice`, `call`) are left out except `index`.
 */
const GO_BUILTIN_NAMES = ['and', 'or', 'not', 'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'index'] as const;

function pick(names: readonly string[]): Record<string, TemplateFunction> {
  return Object.fromEntries(
    names.map((name) => {
      const fn = templateFunctions[name];
      if (!fn) throw new Error(`@flotilla/render has no template function ${name}`);
      return [name, fn];
    }),
  );
}

/**
 * The functions a BundleSet template (`{{ }}`) may call, a deliberately small subset of Argo CD's
 * goTemplate set: `default`, `lower`, `upper`, `replace`, `trunc`, `toJson` (Sprig, shared with
 * Fleet's `${ }` engine), `normalize` and `toYaml` (Argo CD's own), `index` and the comparison /
 * logic builtins `and`, `or`, `not`, `eq`, `ne`, `lt`, `le`, `gt`, `ge`. Anything else is a parse
 * error ("function … not defined"), so a template cannot read the environment, files or the network.
 */
export const bundleSetFunctions: FunctionMap = Object.freeze({
  ...pick(GO_BUILTIN_NAMES),
  ...pick(SPRIG_NAMES),
  normalize: normalizeName,
  toYaml,
});
