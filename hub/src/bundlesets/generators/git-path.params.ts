import picomatch from 'picomatch';

/**
 * argo-cd `utils.SanitizeName`: lowercase, every character outside
 * `[-a-z0-9.]` becomes `-`, at most 253 characters, no leading or trailing
 * `-` or `.`.
 */
export function sanitizeName(name: string): string {
  const replaced = name.toLowerCase().replace(/[^-a-z0-9.]/gu, '-').slice(0, 253);
  return replaced.replace(/^[-.]+|[-.]+$/gu, '');
}

/** POSIX `path.dirname` as Go's `path.Dir`: `.` for a root-level file. */
function dirOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '.' : path.slice(0, slash);
}

function baseOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** The `path` parameter of a git directory (argo-cd goTemplate mode). */
export function directoryPathParams(dir: string): Record<string, unknown> {
  const basename = baseOf(dir);
  return { path: dir, basename, basenameNormalized: sanitizeName(basename), segments: dir.split('/') };
}

/** The `path` parameter of a git file: `path` is the file's directory, as in argo-cd goTemplate mode. */
export function filePathParams(file: string): Record<string, unknown> {
  const dir = dirOf(file);
  const basename = baseOf(dir);
  const filename = baseOf(file);
  return {
    path: dir,
    basename,
    filename,
    basenameNormalized: sanitizeName(basename),
    filenameNormalized: sanitizeName(filename),
    segments: dir.split('/'),
  };
}

/** One include or exclude glob of a git generator. */
export interface PathPattern {
  path: string;
  exclude?: boolean | undefined;
}

/**
 * Go `path.Match` (argo-cd's git directory generator): `*`, `?` and `[…]`
 * stay inside one segment; `**` is no wildcard of its own; no braces.
 */
export const DIRECTORY_GLOB: picomatch.PicomatchOptions = { dot: true, noglobstar: true, nobrace: true, noextglob: true };

/**
 * doublestar (argo-cd's git file generator with the safer globbing): like
 * path.Match plus `**` across segments and `{a,b}` alternatives.
 */
export const FILE_GLOB: picomatch.PicomatchOptions = { dot: true, noextglob: true };

/**
 * The paths matching at least one include pattern and no exclude pattern
 * (an exclude always wins, whatever the order), in the input's order.
 */
export function filterPaths(paths: readonly string[], patterns: readonly PathPattern[], options: picomatch.PicomatchOptions): string[] {
  const includes = patterns.filter((p) => !p.exclude).map((p) => picomatch(p.path, options));
  const excludes = patterns.filter((p) => p.exclude).map((p) => picomatch(p.path, options));
  return paths.filter((path) => includes.some((m) => m(path)) && !excludes.some((m) => m(path)));
}
