import picomatch from 'picomatch';

/**
 * `.fleetignore` as Fleet reads it (fleet `internal/bundlereader/loaddirectory.go`): one pattern per line, blank
 * lines and `#` comments skipped, trailing spaces trimmed unless escaped. Each pattern is a Go `filepath.Match`
 * glob tested against the *base name* of every file and directory in the .fleetignore's directory and below; there
 * is no `**` and no `!` negation. `dir/*` ignores a directory named `dir` at any depth.
 */
export function parseFleetIgnore(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.replace(/([^\\])\s+$/, '$1'))
    .filter((line) => line !== '' && !line.startsWith('#'));
}

const ALL_FILES_IN_DIR = /^.+\/\*/;

/** Whether an entry named `name` is ignored by any of `patterns` (those of its directory and its ancestors). */
export function isFleetIgnored(name: string, isDir: boolean, patterns: readonly string[]): boolean {
  return patterns.some((pattern) => {
    if (ALL_FILES_IN_DIR.test(pattern)) return isDir && pattern.replace(/\/\*$/, '') === name;
    return matchBaseName(pattern, name);
  });
}

const matchers = new Map<string, (name: string) => boolean>();

/**
 * A single-segment glob with Go's `filepath.Match` meaning (`*`, `?`, `[…]`), via picomatch with its extensions
 * (braces, extglobs, `!` negation) turned off. A pattern containing `/` can never match a base name, as in Go.
 */
export function matchBaseName(pattern: string, name: string): boolean {
  let matcher = matchers.get(pattern);
  if (!matcher) {
    matcher = pattern.includes('/')
      ? () => false
      : picomatch(pattern, { dot: true, nobrace: true, noextglob: true, nonegate: true, noglobstar: true });
    matchers.set(pattern, matcher);
  }
  return matcher(name);
}
