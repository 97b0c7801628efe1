import { readdir, stat } from 'node:fs/promises';
import { join, posix } from 'node:path';
import picomatch from 'picomatch';
import { RenderError } from '../render.error.js';

const GLOB_CHARS = /[*?[\\]/;

/**
 * The directories under `root` that a GitRepo `paths` entry matches, as Fleet's `globDirs` does with Go's
 * `filepath.Glob`: leading `/` dropped, each segment matched on its own (`*` never crosses `/`, no `**`), files
 * dropped. Results are `/`-separated and relative to `root`; a pattern leaving `root` is InvalidBundle.
 */
export async function globDirs(root: string, pattern: string): Promise<string[]> {
  const cleaned = posix.normalize(pattern.replace(/^\/+/, '') || '.');
  if (cleaned === '..' || cleaned.startsWith('../')) {
    throw new RenderError('InvalidBundle', `path ${JSON.stringify(pattern)} leaves the repository`, { file: pattern });
  }
  let candidates = ['.'];
  for (const segment of cleaned.split('/').filter((s) => s !== '' && s !== '.')) {
    const next: string[] = [];
    for (const dir of candidates) {
      if (!GLOB_CHARS.test(segment)) {
        next.push(posix.join(dir, segment));
        continue;
      }
      const isMatch = picomatch(segment, { dot: true, nobrace: true, noextglob: true, nonegate: true });
      const names = await readdir(join(root, dir)).catch(() => [] as string[]);
      for (const name of names.sort()) if (isMatch(name)) next.push(posix.join(dir, name));
    }
    candidates = next;
  }
  const dirs: string[] = [];
  for (const dir of candidates) {
    const info = await stat(join(root, dir)).catch(() => undefined);
    if (info?.isDirectory()) dirs.push(dir);
  }
  return dirs;
}
