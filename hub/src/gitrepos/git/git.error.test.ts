import { describe, expect, it } from 'vitest';
import { classifyGitFailure } from './git.error.js';

describe('classifyGitFailure', () => {
  it.each([
    ["fatal: Authentication failed for 'http://127.0.0.1:1/r/'", 'AuthFailed'],
    ['git@127.0.0.1: Permission denied (publickey).\nfatal: Could not read from remote repository.', 'AuthFailed'],
    ['Host key verification failed.\nfatal: Could not read from remote repository.', 'AuthFailed'],
    ["fatal: couldn't find remote ref refs/heads/nope", 'RevisionNotFound'],
    ["fatal: unable to access 'http://127.0.0.1:9/r/': Failed to connect to 127.0.0.1 port 9: Connection refused", 'FetchFailed'],
    ["fatal: '/srv/none' does not appear to be a git repository", 'FetchFailed'],
  ])('%s → %s', (stderr, reason) => {
    const error = classifyGitFailure(stderr);
    expect(error.reason).toBe(reason);
    expect(error.message).not.toBe('');
  });

  it("keeps git's last fatal line as the message", () => {
    expect(classifyGitFailure("hint: x\nfatal: couldn't find remote ref refs/heads/nope\n").message).toBe("fatal: couldn't find remote ref refs/heads/nope");
  });
});
