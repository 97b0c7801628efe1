import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';
import { classifyGitFailure, GitError } from './git.error.js';
import { gitAuthEnv, type GitCredentials, type GitTls } from './git-auth.js';
import { httpLsRefs, ProtocolUnsupported } from './http-ls-refs.js';

/** What a GitRepo follows: a branch, or a tag or commit (`revision`). */
export type GitRef = { branch: string } | { revision: string };

export interface GitRemote {
  url: string;
  credentials?: GitCredentials;
  tls: GitTls;
}

export interface CommitInfo {
  sha: string;
  message: string;
  author: string;
  time: Date;
}

const FULL_SHA = /^[0-9a-f]{40}$/;

/**
 * The few git operations a GitRepo sync needs, through simple-git with a
 * clean environment (git-auth.ts), a time limit per command, and a per-repo
 * cache on disk that is only an accelerator: a missing or broken cache is
 * made again from the remote.
 */
export class GitClient {
  constructor(private readonly options: { cacheDir: string; timeoutMs: number }) {}

  /**
   * The commit the ref points at on the remote (`git ls-remote`: no objects
   * are transferred, so polling an unchanged repository costs one round trip).
   * A full commit sha is its own answer.
   */
  async resolve(remote: GitRemote, ref: GitRef): Promise<string> {
    if ('revision' in ref && FULL_SHA.test(ref.revision)) return ref.revision;
    // An annotated tag's `^{}` entry is the commit it points at, so it comes first.
    const wanted = 'branch' in ref ? [`refs/heads/${ref.branch}`] : [`refs/tags/${ref.revision}^{}`, `refs/tags/${ref.revision}`, `refs/heads/${ref.revision}`];
    const patterns = wanted.filter((name) => !name.endsWith('^{}'));
    const refs = await this.listRefs(remote, patterns);
    const commit = wanted.map((name) => refs.get(name)).find(Boolean);
    if (!commit) {
      const what = 'branch' in ref ? `branch "${ref.branch}"` : /^[0-9a-f]{4,39}$/.test(ref.revision) ? `revision "${ref.revision}" (a commit needs its full 40-character sha)` : `tag or branch "${ref.revision}"`;
      throw new GitError('RevisionNotFound', `${what} not found in ${remote.url}`);
    }
    return commit;
  }

  /** Ref name → commit; over http(s) in-process (http-ls-refs.ts), else with `git ls-remote`. */
  private async listRefs(remote: GitRemote, patterns: string[]): Promise<Map<string, string>> {
    if (/^https?:\/\//i.test(remote.url)) {
      try {
        const refs = await httpLsRefs(remote.url, patterns, remote.credentials, remote.tls, this.options.timeoutMs);
        // ls-refs peels tags itself: give the peeled commit under git ls-remote's `^{}` name too.
        for (const [name, sha] of [...refs]) if (name.startsWith('refs/tags/')) refs.set(`${name}^{}`, sha);
        return refs;
      } catch (error) {
        if (!(error instanceof ProtocolUnsupported)) throw error;
      }
    }
    const out = await this.run(this.options.cacheDir, remote, (git) => git.listRemote([remote.url, ...patterns]));
    return new Map(out.split('\n').filter(Boolean).map((line) => line.split('\t').reverse() as [string, string]));
  }

  /**
   * Fetches `sha` (shallow: only what the cache lacks) into the repository's
   * cache and checks it out; returns the working tree's path. One sync per
   * repository runs at a time (the sync queue's job id), so the cache needs no lock.
   */
  async checkout(cacheKey: string, remote: GitRemote, ref: GitRef, sha: string): Promise<string> {
    const dir = join(this.options.cacheDir, cacheKey);
    await mkdir(dir, { recursive: true });
    if (!(await isDir(join(dir, '.git')))) await this.run(dir, remote, (git) => git.init(['-q']));
    const source = 'branch' in ref ? `refs/heads/${ref.branch}` : FULL_SHA.test(ref.revision) ? ref.revision : `refs/tags/${ref.revision}`;
    try {
      await this.run(dir, remote, (git) => git.fetch([remote.url, `+${source}:refs/flotilla/fetched`, '--depth=1', '--no-tags', '--force', '--quiet']));
    } catch (error) {
      // A tag-or-branch revision that is a branch; a short sha the server cannot give by name.
      if (!(error instanceof GitError) || 'branch' in ref || error.reason === 'AuthFailed') throw error;
      await this.run(dir, remote, (git) => git.fetch([remote.url, `+${sha}:refs/flotilla/fetched`, '--depth=1', '--no-tags', '--force', '--quiet']));
    }
    const fetched = (await this.run(dir, remote, (git) => git.revparse(['refs/flotilla/fetched^{commit}']))).trim();
    // The ref moved between ls-remote and fetch: what was fetched is newer, and is what we deploy.
    const commit = fetched || sha;
    await this.run(dir, remote, (git) => git.raw(['checkout', '--quiet', '--force', '--detach', commit]));
    await this.run(dir, remote, (git) => git.clean('ffdx', ['-q']));
    return dir;
  }

  async commitInfo(dir: string, remote: GitRemote): Promise<CommitInfo> {
    const out = await this.run(dir, remote, (git) => git.raw(['log', '-1', '--format=%H%x00%an <%ae>%x00%cI%x00%s', 'HEAD']));
    const [sha = '', author = '', time = '', message = ''] = out.trim().split('\0');
    return { sha, author, time: new Date(time), message };
  }

  private async run<T>(dir: string, remote: GitRemote, op: (git: SimpleGit) => Promise<T>): Promise<T> {
    await mkdir(this.options.cacheDir, { recursive: true });
    const auth = await gitAuthEnv(this.options.cacheDir, remote.credentials, remote.tls);
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), this.options.timeoutMs);
    try {
      const git = simpleGit({
        baseDir: dir,
        abort: abort.signal,
        allowEnvironment: auth.allowEnvironment,
        allowConfig: auth.allowConfig,
        strict: true,
      }).env(auth.env);
      return await op(git);
    } catch (error) {
      if (abort.signal.aborted) throw new GitError('FetchFailed', `git did not finish within ${this.options.timeoutMs / 1000} s`);
      if (error instanceof GitError) throw error;
      throw classifyGitFailure(String((error as Error).message ?? error));
    } finally {
      clearTimeout(timer);
      await auth.dispose();
    }
  }
}

async function isDir(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}
