import type { KubernetesObject } from '@kubernetes/client-node';
import type { ComparePatch, FieldDiff } from './drift.types.js';
import { isAtOrBelow, parsePointer } from './json-pointer.js';
import { isObject } from './json-value.js';

/** Whether a rule selects an object; an empty selector field matches anything (Fleet's comparePatches semantics). */
export function ruleMatches(rule: ComparePatch, obj: KubernetesObject): boolean {
  const matches = (want: string, have: string | undefined) => want === '' || want === (have ?? '');
  return (
    matches(rule.apiVersion, obj.apiVersion) &&
    matches(rule.kind, obj.kind) &&
    matches(rule.namespace, obj.metadata?.namespace) &&
    matches(rule.name, obj.metadata?.name)
  );
}

/**
 * The valid pointers of every rule that selects `obj`. Invalid pointers (not
 * starting with `/`, bad `~` escapes) are skipped rather than failing the
 * whole comparison; the hub validates them when they are configured.
 */
export function ignoredPointers(rules: readonly ComparePatch[], obj: KubernetesObject): string[] {
  const pointers = rules.filter((rule) => ruleMatches(rule, obj)).flatMap((rule) => rule.jsonPointers);
  return [...new Set(pointers.filter((p) => parsePointer(p) !== undefined))];
}

/** Whether a diff at `path` is under one of the ignored pointers. */
export function isIgnored(path: string, pointers: readonly string[]): boolean {
  return pointers.some((pointer) => isAtOrBelow(path, pointer));
}

/** Drops the diffs under ignored pointers. */
export function filterIgnored(diffs: readonly FieldDiff[], pointers: readonly string[]): FieldDiff[] {
  return diffs.filter((d) => !isIgnored(d.path, pointers));
}

/**
 * A copy of `value` without the fields the pointers name (missing ones are
 * fine). Removing them from both sides before diffing, as Argo CD normalizes
 * before it compares, also covers a diff reported at a parent: with
 * `/metadata/labels/team` ignored, a live object that has only that extra
 * label must not show a diff at `/metadata/labels`.
 */
export function removePointers<T>(value: T, pointers: readonly string[]): T {
  let result: unknown = value;
  for (const pointer of pointers) {
    const tokens = parsePointer(pointer);
    if (tokens && tokens.length > 0) result = removeAt(result, tokens);
  }
  return result as T;
}

function removeAt(value: unknown, [head, ...rest]: string[]): unknown {
  if (head === undefined) return value;
  if (Array.isArray(value)) {
    const index = /^(0|[1-9]\d*)$/.test(head) ? Number(head) : -1;
    if (index < 0 || index >= value.length) return value;
    // Removing an element would shift the ones after it and make them all
    // differ; an ignored element is nulled on both sides instead.
    const copy = [...value];
    copy[index] = rest.length === 0 ? null : removeAt(value[index], rest);
    return copy;
  }
  if (!isObject(value) || !(head in value)) return value;
  const copy = { ...value };
  if (rest.length === 0) delete copy[head];
  else copy[head] = removeAt(value[head], rest);
  return copy;
}
