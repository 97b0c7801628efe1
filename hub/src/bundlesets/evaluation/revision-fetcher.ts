import { createHash } from 'node:crypto';
import { GitClient } from '../../gitrepos/git/git-client.js';
import { GitError } from '../../gitrepos/git/git.error.js';
import { gitRemoteOf } from '../../gitrepos/git/git-remote.js';
import type { HubConfig } from '../../platform/config/config.js';
import { SecretBox } from '../../security/secret-box.js';
import type { RevisionFetcher } from './generator-context.js';

/**
 * A RevisionFetcher over the hub's git cache: each (GitRepo, revision, user)
 * gets a cache directory of its own (`<gitrepo-id>.rev-<hash>`), apart from
 * the GitRepo's (which only its sync writes), fetched shallow as a sync
 * fetches; fetches of one directory in this process run one at a time. Like
 * every git cache it is an accelerator: deleting it costs a fetch.
 */
export function revisionFetcher(config: HubConfig, user: string): RevisionFetcher {
  const git = new GitClient({ cacheDir: config.git.cacheDir, timeoutMs: config.git.timeoutSeconds * 1000 });
  const box = new SecretBox(config.secretKeys);
  return async (repo, revision) => {
    if (!REVISION.test(revision)) throw new GitError('RevisionNotFound', `"${revision}" is not a branch, tag or commit name`);
    const cacheKey = `${repo.id}.rev-${createHash('sha256').update(`${user}\0${revision}`).digest('hex').slice(0, 16)}`;
    return serialised(cacheKey, async () => {
      const remote = gitRemoteOf(repo, box);
      const ref = { revision };
      const sha = await git.resolve(remote, ref);
      const dir = await git.checkout(cacheKey, remote, ref, sha);
      const commit = (await git.commitInfo(dir, remote)).sha;
      return { cacheKey, commit };
    });
  };
}

/** As the GitRepo API's ref names: nothing option-like or path-escaping. */
const REVISION = /^(?!-)(?!.*\.\.)[A-Za-z0-9._/-]{1,255}$/;

const running = new Map<string, Promise<unknown>>();

async function serialised<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const before = running.get(key) ?? Promise.resolve();
  const next = before.catch(() => undefined).then(fn);
  running.set(key, next);
  try {
    return await next;
  } finally {
    if (running.get(key) === next) running.delete(key);
  }
}
