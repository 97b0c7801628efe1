import { normalizeRepoUrl } from './repo-url.js';
import type { PushEvent } from './webhook.types.js';

/** What of a GitRepo decides whether a push concerns it. */
export interface GitRepoSource {
  repo: string;
  branch?: string | null;
  revision?: string | null;
}

function withoutPrefix(ref: string, prefix: string): string {
  return ref.startsWith(prefix) ? ref.slice(prefix.length) : ref;
}

/**
 * True when this push concerns the GitRepo: one of the payload's repository
 * URLs names the GitRepo's repository ({@link normalizeRepoUrl}) and
 *
 * - the GitRepo has a `revision` (a tag or a commit, which wins over
 *   `branch`, as in Fleet): only a push of a tag of that name matches. A tag
 *   can be moved (force-pushed or deleted and re-created), a commit cannot,
 *   so a branch push never concerns a GitRepo pinned to a commit or a tag;
 * - else the GitRepo follows `branch`: a push of that branch matches (names
 *   compare exactly; git branch names are case-sensitive), tags do not;
 * - else (no branch, no revision) the GitRepo follows the repository's
 *   default branch, which not every payload names: any branch push to the
 *   repository matches. A false match costs one fetch that finds nothing new;
 *   a missed one leaves the GitRepo waiting for its next poll.
 *
 * A deleted branch still matches (its GitRepo should find out).
 * `refs/heads/` and `refs/tags/` prefixes on `branch` / `revision` are ignored.
 */
export function pushMatches(event: PushEvent, repo: GitRepoSource): boolean {
  const wanted = normalizeRepoUrl(repo.repo);
  if (!event.repoUrls.some((url) => normalizeRepoUrl(url) === wanted)) return false;
  const revision = repo.revision?.trim();
  if (revision) return event.tags.includes(withoutPrefix(revision, 'refs/tags/'));
  const branch = repo.branch?.trim();
  if (branch) return event.branches.includes(withoutPrefix(branch, 'refs/heads/'));
  return event.branches.length > 0;
}
