import { execFile } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { x as untar } from 'tar';

const run = promisify(execFile);

/** Why a commit's tree could not be read from the cache. */
export class GitTreeUnavailable extends Error {
  override readonly name = 'GitTreeUnavailable';
}

/** A commit's directories and files, as `git ls-tree` lists them (POSIX paths from the repository root, sorted). */
export interface CommitTree {
  commit: string;
  directories: string[];
  files: string[];
}

/** Largest file a reader hands out (a generator's JSON/YAML file). */
export const MAX_TREE_FILE_BYTES = 1024 * 1024;

/**
 * Reads commits from a GitRepo's cache (the repository the sync fetched into)
 * without touching its working tree or index: only object reads (`ls-tree`,
 * `cat-file`, `archive`), so it is safe while that GitRepo's sync runs.
 * A commit the cache lacks (a deleted cache, another replica, a revision the
 * GitRepo never fetched) is GitTreeUnavailable, never an empty tree.
 */
export class GitTreeReader {
  constructor(private readonly options: { cacheDir: string; timeoutMs: number }) {}

  /** Resolves `revision` (a sha, tag or branch the cache holds) to a commit sha. */
  async resolve(cacheKey: string, revision: string): Promise<string> {
    if (!/^[A-Za-z0-9._/-]+$/.test(revision) || revision.startsWith('-')) throw new GitTreeUnavailable(`"${revision}" is not a revision`);
    const out = await this.git(cacheKey, ['rev-parse', '--verify', '--quiet', `${revision}^{commit}`], `revision "${revision}" is not in the GitRepo's cache (only fetched commits can be read)`);
    return out.trim();
  }

  async tree(cacheKey: string, commit: string): Promise<CommitTree> {
    const out = await this.git(cacheKey, ['ls-tree', '-r', '-t', '-z', '--full-tree', commit], `commit ${commit} is not in the GitRepo's cache`);
    const directories: string[] = [];
    const files: string[] = [];
    for (const entry of out.split('\0')) {
      const tab = entry.indexOf('\t');
      if (tab < 0) continue;
      const [, type] = entry.slice(0, tab).split(' ');
      const path = entry.slice(tab + 1);
      if (type === 'tree') directories.push(path);
      else if (type === 'blob') files.push(path);
    }
    return { commit, directories: directories.sort(), files: files.sort() };
  }

  /** One file's bytes at `commit` (at most MAX_TREE_FILE_BYTES). */
  async readFile(cacheKey: string, commit: string, path: string): Promise<Buffer> {
    const size = Number((await this.git(cacheKey, ['cat-file', '-s', `${commit}:${path}`], `${path} is not a file at ${commit.slice(0, 12)}`)).trim());
    if (size > MAX_TREE_FILE_BYTES) throw new GitTreeUnavailable(`${path} is ${size} bytes, over the ${MAX_TREE_FILE_BYTES}-byte limit`);
    const { stdout } = await run('git', ['cat-file', 'blob', `${commit}:${path}`], this.execOptions(cacheKey, 'buffer'));
    return stdout as unknown as Buffer;
  }

  /** Writes `path` (a directory of the commit, `.` for all) below `dest`, as `git archive` gives it. */
  async extract(cacheKey: string, commit: string, path: string, dest: string): Promise<void> {
    await mkdir(dest, { recursive: true });
    const archive = join(dest, '.flotilla-archive.tar');
    await this.git(cacheKey, ['archive', '--format=tar', `--output=${archive}`, commit, '--', path === '.' ? '.' : path], `${path} is not in ${commit.slice(0, 12)}`);
    await untar({ file: archive, cwd: dest, strict: true });
    await rm(archive, { force: true });
  }

  private async git(cacheKey: string, args: string[], missing: string): Promise<string> {
    try {
      const { stdout } = await run('git', args, this.execOptions(cacheKey, 'utf8'));
      return stdout as unknown as string;
    } catch (error) {
      const e = error as { code?: unknown; killed?: boolean };
      if (e.killed) throw new GitTreeUnavailable(`git ${args[0]} did not finish within ${this.options.timeoutMs / 1000} s`);
      throw new GitTreeUnavailable(missing);
    }
  }

  private execOptions(cacheKey: string, encoding: 'utf8' | 'buffer') {
    const cwd = join(this.options.cacheDir, cacheKey);
    return {
      cwd,
      encoding,
      timeout: this.options.timeoutMs,
      maxBuffer: 64 * 1024 * 1024,
      // Only this repository: no system or user config, no hooks, no prompts.
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: cwd, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_TERMINAL_PROMPT: '0', GIT_DIR: join(cwd, '.git') },
    } as const;
  }
}
