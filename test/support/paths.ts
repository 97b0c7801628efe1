import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Absolute path of a file in the repository. */
export function repoPath(relative: string): string {
  return resolve(root, relative);
}
