/** Why talking to a Git server failed, as GitRepo status reasons. */
export type GitFailure =
  /** Credentials missing or refused, or the SSH host key is not the known one. */
  | 'AuthFailed'
  /** The branch, tag or commit does not exist on the remote. */
  | 'RevisionNotFound'
  /** Unreachable host, no such repository, a protocol error, or a timeout. */
  | 'FetchFailed';

export class GitError extends Error {
  constructor(
    readonly reason: GitFailure,
    message: string,
  ) {
    super(message);
    this.name = 'GitError';
  }
}

const AUTH = [
  /Authentication failed/i,
  /could not read (Username|Password)/i,
  /HTTP Basic: Access denied/i,
  /The requested URL returned error: 40[13]/i,
  /Permission denied \(publickey/i,
  /Host key verification failed/i,
  /invalid credentials/i,
  /terminal prompts disabled/i,
];

/**
 * Classifies git's stderr into a status reason, keeping git's own words (the
 * last `fatal:`/`error:` lines) as the message. Credentials are never in
 * stderr: they travel in environment variables and files, not in URLs.
 */
export function classifyGitFailure(stderr: string, fallback = 'git failed'): GitError {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^(fatal|error|remote|ERROR):/.test(l) || /Permission denied|Host key verification failed/.test(l));
  const message = (lines.length ? lines.slice(-3).join('; ') : stderr.trim().split('\n').slice(-2).join('; ')) || fallback;
  if (AUTH.some((re) => re.test(stderr))) return new GitError('AuthFailed', message);
  if (/couldn't find remote ref|Remote branch .* not found|not our ref|no such ref/i.test(stderr)) return new GitError('RevisionNotFound', message);
  return new GitError('FetchFailed', message);
}
