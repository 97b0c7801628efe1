import { posix } from 'node:path';

/**
 * Normalises a path inside a GitRepo's tree (a bundle directory, a values file): POSIX, relative,
 * without `./`, `//` or a trailing `/`; the empty path is the root `.`. Returns the path, or why it
 * is not one: absolute, escaping the tree with `..`, or holding a backslash or control character.
 */
export function normalizeTreePath(path: string): { path: string } | { problem: string } {
  if (path.startsWith('/')) return { problem: `path "${path}" must be relative to the GitRepo, not absolute` };
  if (/[\\\x00-\x1f\x7f]/.test(path)) return { problem: `path "${path}" must not hold a backslash or control character` };
  const normalized = posix.normalize(path === '' ? '.' : path).replace(/\/+$/, '') || '.';
  if (normalized === '..' || normalized.startsWith('../')) return { problem: `path "${path}" escapes the GitRepo with ".."` };
  return { path: normalized };
}
