import { join, relative, sep } from 'node:path';
import type { BundleFile } from '../bundle/bundle-source.types.js';
import { RenderError } from '../render.error.js';
import type { BundleLimits } from './bundle-limits.js';
import { diskFs, type BundleDirEntry, type BundleFs } from './bundle-fs.js';
import { findFleetYaml } from './fleet-yaml.locate.js';
import { isFleetIgnored, parseFleetIgnore } from './fleetignore.rules.js';

export interface WalkOptions {
  limits: BundleLimits;
  /** The bundle's path relative to the scanned root, to name files in errors (`.` for the root). */
  displayPrefix: string;
  /** Paths relative to the bundle left out: its fleet.yaml, a driven-scan options file. */
  skipPaths: ReadonlySet<string>;
  /** Default: the disk. */
  fs?: BundleFs;
}

/**
 * The files of one bundle directory, as Fleet's `GetContent` collects them: every file below `dir`, except names
 * starting with `.` (so `.git`, `.fleetignore` and other dot files and dot directories), `.fleetignore`d entries and
 * subdirectories with their own fleet.yaml (nested bundles). Sorted by `/`-separated path.
 *
 * Symlinks: one resolving inside the bundle is read as the file it points to (a symlinked directory is not
 * followed); one resolving outside fails with InvalidBundle, as Fleet refuses it ("target escapes bundle directory").
 */
export async function walkBundleFiles(dir: string, options: WalkOptions): Promise<BundleFile[]> {
  const fs = options.fs ?? diskFs;
  const state = { options, fs, realRoot: await fs.realpath(dir), files: [] as BundleFile[], total: 0 };
  await walk(state, dir, '', []);
  return state.files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

interface WalkState {
  options: WalkOptions;
  fs: BundleFs;
  realRoot: string;
  files: BundleFile[];
  total: number;
}

async function walk(state: WalkState, absDir: string, relDir: string, inherited: readonly string[]): Promise<void> {
  const ignoreText = await state.fs.readFile(join(absDir, '.fleetignore')).then((b) => b.toString('utf8'), () => '');
  const patterns = [...inherited, ...parseFleetIgnore(ignoreText)];
  const entries = await state.fs.readdir(absDir);
  for (const entry of entries) {
    const rel = relDir ? `${relDir}/${entry.name}` : entry.name;
    const abs = join(absDir, entry.name);
    if (entry.name.startsWith('.')) continue;
    if (state.options.skipPaths.has(rel)) continue;
    if (isFleetIgnored(entry.name, entry.isDirectory(), patterns)) continue;
    if (entry.isDirectory()) {
      if (await findFleetYaml(abs, state.fs)) continue;
      await walk(state, abs, rel, patterns);
    } else if (entry.isFile() || entry.isSymbolicLink()) {
      await addFile(state, entry, abs, rel);
    }
  }
}

async function addFile(state: WalkState, entry: BundleDirEntry, abs: string, rel: string): Promise<void> {
  const file = displayPath(state.options.displayPrefix, rel);
  if (entry.isSymbolicLink()) {
    const target = await state.fs.realpath(abs).catch((cause: unknown) => {
      throw new RenderError('InvalidBundle', 'symlink cannot be resolved', { file }, { cause });
    });
    const inside = relative(state.realRoot, target);
    if (inside === '..' || inside.startsWith(`..${sep}`)) {
      throw new RenderError('InvalidBundle', 'symlink target escapes the bundle directory', { file });
    }
  }
  const info = await state.fs.stat(abs);
  // Listed but gone or unreadable: never render the bundle without it.
  if (!info) throw new RenderError('InvalidBundle', 'file cannot be read', { file });
  if (!info.isFile()) return;
  const { limits } = state.options;
  if (state.files.length + 1 > limits.maxFiles) {
    throw new RenderError('OutputTooLarge', `bundle has more than ${limits.maxFiles} files`, { file });
  }
  if (info.size > limits.maxFileBytes) {
    throw new RenderError('OutputTooLarge', `file is ${info.size} bytes, over the ${limits.maxFileBytes}-byte limit`, {
      file,
    });
  }
  if (state.total + info.size > limits.maxTotalBytes) {
    throw new RenderError('OutputTooLarge', `bundle passes the ${limits.maxTotalBytes}-byte total limit`, { file });
  }
  const content = await state.fs.readFile(abs);
  state.total += content.length;
  state.files.push({ path: rel, content });
}

export function displayPath(prefix: string, rel: string): string {
  return prefix === '.' || prefix === '' ? rel : `${prefix}/${rel}`;
}
