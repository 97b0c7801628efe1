import type { FieldDiff } from './drift.types.js';
import { escapeToken } from './json-pointer.js';
import { isObject, jsonEqual, jsonText } from './json-value.js';

/**
 * Leaf-level differences between two JSON values, ordered by path.
 *
 * Objects are compared key by key, so a diff names the field that changed
 * (`/data/key`), not its parent. Arrays of the same length are compared
 * element by element (`/spec/template/spec/containers/0/image`). Arrays whose
 * length differs are reported as one diff at the array's path: index-wise
 * diffs would be misleading after an insertion, and Kubernetes lists keyed by
 * name (containers, env, ports) cannot be aligned without the schema.
 *
 * @param desired the value the object should have
 * @param live the value it has
 * @param path pointer of the compared values; `''` for whole documents
 */
export function diffValues(desired: unknown, live: unknown, path = ''): FieldDiff[] {
  if (jsonEqual(desired, live)) return [];
  if (isObject(desired) && isObject(live)) {
    const keys = [...new Set([...Object.keys(desired), ...Object.keys(live)])].sort();
    return keys.flatMap((key) => diffValues(desired[key], live[key], `${path}/${escapeToken(key)}`));
  }
  if (Array.isArray(desired) && Array.isArray(live) && desired.length === live.length) {
    return desired.flatMap((value, i) => diffValues(value, live[i], `${path}/${i}`));
  }
  return [{ path, desired: jsonText(desired), live: jsonText(live) }];
}
