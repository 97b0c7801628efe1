/**
 * PostgreSQL text and JSONB cannot hold U+0000, so a NUL anywhere in a request
 * would fail deep in a write as a 500. Request parts are scanned once, before
 * validation, and a NUL is a 400 naming where it is.
 */

/** Where the first NUL is: the path of the string holding it, or of the object whose key holds it. */
export interface NulFound {
  path: (string | number)[];
  inKey: boolean;
}

/** Finds the first string (or object key) containing U+0000; iterative, so any nesting depth is safe. */
export function findNul(value: unknown): NulFound | undefined {
  // Each entry knows its parent, so a path is only built for the one string found.
  const stack: Step[] = [{ value, parent: undefined, key: undefined }];
  while (stack.length > 0) {
    const step = stack.pop()!;
    const at = step.value;
    if (typeof at === 'string') {
      if (at.includes('\u0000')) return { path: pathOf(step), inKey: false };
    } else if (Array.isArray(at)) {
      for (let i = at.length - 1; i >= 0; i--) stack.push({ value: at[i], parent: step, key: i });
    } else if (at !== null && typeof at === 'object') {
      const entries = Object.entries(at);
      if (entries.some(([key]) => key.includes('\u0000'))) return { path: pathOf(step), inKey: true };
      for (let i = entries.length - 1; i >= 0; i--) stack.push({ value: entries[i]![1], parent: step, key: entries[i]![0] });
    }
  }
  return undefined;
}

interface Step {
  value: unknown;
  parent: Step | undefined;
  key: string | number | undefined;
}

function pathOf(step: Step): (string | number)[] {
  const path: (string | number)[] = [];
  for (let at: Step | undefined = step; at?.key !== undefined; at = at.parent) path.push(at.key);
  return path.reverse();
}
