/**
 * RFC 6901 JSON pointers: `/a/b~1c/d~0e` names key `b/c` inside `a`, then
 * `d~e`. Annotation and label keys contain `/` all the time
 * (`app.kubernetes.io/name`), so escaping must be right everywhere.
 */

/** Escapes one reference token: `~` → `~0`, then `/` → `~1`. */
export function escapeToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Unescapes one reference token; `~1` is decoded before `~0` so that `~01` stays `~1`. */
export function unescapeToken(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** Tokens → pointer. `[]` is `''`, the whole document. */
export function formatPointer(tokens: readonly string[]): string {
  return tokens.map((t) => `/${escapeToken(t)}`).join('');
}

/**
 * Pointer → tokens, or undefined when it is not a valid pointer (it must be
 * `''` or start with `/`, and `~` may only be followed by `0` or `1`).
 */
export function parsePointer(pointer: string): string[] | undefined {
  if (pointer === '') return [];
  if (!pointer.startsWith('/') || /~[^01]|~$/.test(pointer)) return undefined;
  return pointer.slice(1).split('/').map(unescapeToken);
}

/** Whether `path` is `pointer` or lies below it (on a token boundary: `/spec/replicas` is not below `/spec/rep`). */
export function isAtOrBelow(path: string, pointer: string): boolean {
  return pointer === '' || path === pointer || path.startsWith(`${pointer}/`);
}
