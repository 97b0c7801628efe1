import { describe, expect, it } from 'vitest';
import { pushMatches } from './matches-gitrepo.js';
import type { PushEvent } from './webhook.types.js';

const URLS = ['https://github.com/Flotilla-Org/Fleet-Examples.git', 'git@github.com:Flotilla-Org/Fleet-Examples.git', 'https://github.com/Flotilla-Org/Fleet-Examples'];
const REPO = 'git@github.com:flotilla-org/fleet-examples.git';

function push(branches: string[], tags: string[] = []): PushEvent {
  return { provider: 'github', repoUrls: URLS, branches, tags, commit: '0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c' };
}

describe('pushMatches', () => {
  it('matches a GitRepo following the pushed branch, whatever URL form it was created with', () => {
    for (const repo of [REPO, 'https://github.com/flotilla-org/fleet-examples', 'https://token@github.com/Flotilla-Org/Fleet-Examples.git/']) {
      expect(pushMatches(push(['main']), { repo, branch: 'main' })).toBe(true);
    }
  });

  it('does not match another repository, another branch, or a tag push', () => {
    expect(pushMatches(push(['main']), { repo: 'git@github.com:flotilla-org/other.git', branch: 'main' })).toBe(false);
    expect(pushMatches(push(['main']), { repo: REPO, branch: 'staging' })).toBe(false);
    expect(pushMatches(push(['main']), { repo: REPO, branch: 'Main' })).toBe(false);
    expect(pushMatches(push([], ['main']), { repo: REPO, branch: 'main' })).toBe(false);
  });

  it('matches any branch listed in a multi-ref push, and accepts refs/heads/ on the GitRepo', () => {
    expect(pushMatches(push(['main', 'staging']), { repo: REPO, branch: 'staging' })).toBe(true);
    expect(pushMatches(push(['main']), { repo: REPO, branch: 'refs/heads/main' })).toBe(true);
  });

  it('matches a GitRepo without branch or revision on any branch push (default branch unknown), not on a tag-only push', () => {
    expect(pushMatches(push(['feature/x']), { repo: REPO })).toBe(true);
    expect(pushMatches(push(['main']), { repo: REPO, branch: null, revision: null })).toBe(true);
    expect(pushMatches(push(['main']), { repo: REPO, branch: '', revision: '  ' })).toBe(true);
    expect(pushMatches(push([], ['v1.0.0']), { repo: REPO })).toBe(false);
  });

  it('matches a GitRepo pinned to a revision only when that tag is pushed (tags move, commits do not)', () => {
    expect(pushMatches(push([], ['v1.0.0']), { repo: REPO, revision: 'v1.0.0' })).toBe(true);
    expect(pushMatches(push([], ['v1.0.0']), { repo: REPO, revision: 'refs/tags/v1.0.0' })).toBe(true);
    expect(pushMatches(push([], ['v1.0.1']), { repo: REPO, revision: 'v1.0.0' })).toBe(false);
    // Revision wins over branch: the branch moving does not move the pin.
    expect(pushMatches(push(['main']), { repo: REPO, branch: 'main', revision: 'v1.0.0' })).toBe(false);
    // Pinned to a commit: even the push that produced that commit does not concern it.
    expect(pushMatches(push(['main']), { repo: REPO, revision: '0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c' })).toBe(false);
  });

  it('matches a deleted branch (no commit), so its GitRepo finds out', () => {
    const deleted: PushEvent = { provider: 'gitlab', repoUrls: ['https://gitlab.example.com/a/b.git'], branches: ['main'], tags: [] };
    expect(pushMatches(deleted, { repo: 'https://gitlab.example.com/a/b', branch: 'main' })).toBe(true);
  });

  it('matches nothing for a push without URLs', () => {
    expect(pushMatches({ ...push(['main']), repoUrls: [] }, { repo: REPO, branch: 'main' })).toBe(false);
  });
});
