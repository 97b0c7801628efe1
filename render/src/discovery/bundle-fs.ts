import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { posix } from 'node:path';

/** An entry of a directory listing. */
export interface BundleDirEntry {
  name: string;
  isDirectory(): boolean;
  isFile(): boolean;
  isSymbolicLink(): boolean;
}

/** What the bundle reader needs of a file system (absolute paths). */
export interface BundleFs {
  /** undefined when nothing is there. */
  stat(path: string): Promise<{ isFile(): boolean; isDirectory(): boolean; size: number } | undefined>;
  readdir(path: string): Promise<BundleDirEntry[]>;
  readFile(path: string): Promise<Buffer>;
  realpath(path: string): Promise<string>;
}

/** The machine's file system: a checkout, a directory given to `flotilla render`. */
export const diskFs: BundleFs = {
  stat: (path) => stat(path).catch(() => undefined),
  readdir: (path) => readdir(path, { withFileTypes: true }),
  readFile: (path) => readFile(path),
  realpath: (path) => realpath(path),
};

/**
 * Files held in memory as one directory tree rooted at `/` (an uploaded
 * archive), read by the same code as a directory on disk without writing
 * them out. Directories are implied by the files' `/`-separated paths; there
 * are no links.
 */
export function memoryFs(files: readonly { path: string; content: Buffer }[]): BundleFs {
  const byPath = new Map<string, Buffer>();
  const children = new Map<string, Map<string, 'file' | 'dir'>>([['/', new Map()]]);
  for (const file of files) {
    const abs = posix.join('/', file.path);
    byPath.set(abs, file.content);
    let child = abs;
    for (let dir = posix.dirname(abs); ; dir = posix.dirname(dir)) {
      let entries = children.get(dir);
      if (!entries) children.set(dir, (entries = new Map()));
      entries.set(posix.basename(child), child === abs ? 'file' : 'dir');
      if (dir === '/') break;
      child = dir;
    }
  }
  const missing = (path: string) => Object.assign(new Error(`ENOENT: no such file or directory, '${path}'`), { code: 'ENOENT' });
  const norm = (path: string) => posix.resolve('/', path);
  return {
    stat: async (path) => {
      const p = norm(path);
      const file = byPath.get(p);
      if (file) return { isFile: () => true, isDirectory: () => false, size: file.length };
      return children.has(p) ? { isFile: () => false, isDirectory: () => true, size: 0 } : undefined;
    },
    readdir: async (path) => {
      const entries = children.get(norm(path));
      if (!entries) throw missing(path);
      return [...entries].map(([name, kind]) => ({ name, isDirectory: () => kind === 'dir', isFile: () => kind === 'file', isSymbolicLink: () => false }));
    },
    readFile: async (path) => {
      const file = byPath.get(norm(path));
      if (!file) throw missing(path);
      return file;
    },
    realpath: async (path) => norm(path),
  };
}
