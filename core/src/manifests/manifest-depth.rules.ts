import { ManifestError, type ManifestPosition } from './manifest.error.js';

/**
 * Throws `TooDeep` when maps and lists in `value` nest deeper than `max`
 * (a top-level object is level 1, its fields' objects level 2, …). Iterative,
 * so any depth, however large, is measured without a stack overflow; stops at
 * the first node past the limit. Cyclic values count as too deep.
 */
export function assertDepth(value: unknown, max: number, where: ManifestPosition): void {
  const values: unknown[] = [value];
  const depths: number[] = [1];
  while (values.length > 0) {
    const current = values.pop();
    const depth = depths.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    if (depth > max) throw tooDeep(max, where);
    for (const child of Array.isArray(current) ? current : Object.values(current)) {
      if (typeof child === 'object' && child !== null) {
        values.push(child);
        depths.push(depth + 1);
      }
    }
  }
}

export function tooDeep(max: number, where: ManifestPosition): ManifestError {
  return new ManifestError('TooDeep', where, `nested deeper than ${max} levels`);
}
