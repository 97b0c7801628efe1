/**
 * A canonical key for a Git repository URL, so that the URLs a webhook payload
 * gives (clone https, ssh, web page) compare equal to the one a GitRepo was
 * created with, whatever form either uses:
 *
 *   https://github.com/Org/Repo.git, https://user:tok@github.com/org/repo,
 *   http://github.com/org/repo/, ssh://git@github.com:22/org/repo.git,
 *   git@github.com:org/repo.git, github.com/org/repo  →  github.com/org/repo
 *
 * - The scheme and any user info (user, password, token) are dropped.
 * - The key is lower-cased as a whole, path included: GitHub, GitLab, Gitea
 *   and Bitbucket treat owner and repository names case-insensitively, and a
 *   false match only costs an extra check (the push is still verified
 *   against that GitRepo's secret), while a missed one loses a deploy.
 * - Default ports 22, 80 and 443 (and git://'s 9418) are dropped, any other
 *   port is kept (`127.0.0.1:8080/org/repo`).
 * - Trailing `/`, a `.git` suffix, a query and a fragment are dropped.
 * - GitHub's, GitLab's and Bitbucket's SSH-over-443 hosts (ssh.github.com,
 *   altssh.gitlab.com, altssh.bitbucket.org) stand for the main host.
 * - Local repositories keep a `file://` prefix, so they never equal a host
 *   key, and keep their case (file systems are case-sensitive):
 *   `file:///srv/x.git` and `/srv/x.git` → `file:///srv/x`.
 * - Scp-like `[user@]host:path` (`git@github.com:org/repo`) is read as git
 *   reads it, except that without a user a path of digits first is a port:
 *   `host:8080/org/repo` is host and port, `git@host:2024/repo` is a path.
 * - Anything else (empty, spaces, no host) is not a URL we know: it is
 *   returned trimmed and lower-cased, so it can only equal itself.
 */

const DEFAULT_PORTS = new Set(['22', '80', '443']);

const SSH_HOST_ALIASES: Readonly<Record<string, string>> = {
  'ssh.github.com': 'github.com',
  'altssh.gitlab.com': 'gitlab.com',
  'altssh.bitbucket.org': 'bitbucket.org',
};

const SCHEME = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/i;
/** `user@host:path` (git's scp-like syntax); the path must not start with `//`. */
const SCP_LIKE = /^[^@/\s]+@([^@/:[\]]+|\[[^\]]+\]):(?!\/\/)(.*)$/;
/** `host:path` without a user: a DNS-looking host, and a path that is not a port (`host:8080/…`). */
const SCP_LIKE_NO_USER = /^((?:[a-z0-9-]+(?:\.[a-z0-9-]+)+|localhost)):(?!\/\/)(?!\d+(?:\/|$))(.+)$/i;
/** `host[:port]/path` without a scheme: the host must look like a DNS name, an IP or localhost. */
const SCHEMELESS = /^((?:[a-z0-9-]+(?:\.[a-z0-9-]+)+|localhost|\[[0-9a-f:.]+\])(?::\d+)?)(\/.*)?$/i;
const HOST_PORT = /^([^:[\]]+|\[[^\]]+\])(?::(\d*))?$/;

interface HostKey {
  host: string;
  port: string | undefined;
  path: string;
}

/** The path without query, fragment, trailing slashes and `.git`. */
function trimRepoPath(path: string): string {
  let trimmed = path.replace(/[?#].*$/, '').replace(/\/+$/, '');
  if (trimmed.toLowerCase().endsWith('.git')) trimmed = trimmed.slice(0, -'.git'.length).replace(/\/+$/, '');
  return trimmed;
}

function fileKey(path: string): string | undefined {
  const trimmed = trimRepoPath(path);
  return trimmed.startsWith('/') && trimmed.length > 1 ? `file://${trimmed}` : undefined;
}

/** `[user@]host[:port]` → host and port; undefined when malformed. */
function splitAuthority(authority: string): { host: string; port: string | undefined } | undefined {
  const hostPort = authority.slice(authority.lastIndexOf('@') + 1);
  const match = HOST_PORT.exec(hostPort);
  const host = match?.[1];
  if (host === undefined || host === '') return undefined;
  const port = match?.[2];
  return { host, port: port === '' ? undefined : port };
}

function parse(input: string): HostKey | { file: string } | undefined {
  if (input === '' || /\s/.test(input)) return undefined;
  const scheme = SCHEME.exec(input);
  if (scheme !== null) {
    const name = (scheme[1] ?? '').toLowerCase();
    const rest = scheme[2] ?? '';
    if (name === 'file') {
      const path = rest.startsWith('localhost/') ? rest.slice('localhost'.length) : rest;
      const file = fileKey(path);
      return file === undefined ? undefined : { file };
    }
    const end = rest.search(/[/?#]/);
    const authority = end === -1 ? rest : rest.slice(0, end);
    const hostPort = splitAuthority(authority);
    if (hostPort === undefined) return undefined;
    const port = name === 'git' && hostPort.port === '9418' ? undefined : hostPort.port;
    return { host: hostPort.host, port, path: end === -1 ? '' : rest.slice(end) };
  }
  if (input.startsWith('/')) {
    const file = fileKey(input);
    return file === undefined ? undefined : { file };
  }
  const scp = SCP_LIKE.exec(input);
  if (scp !== null) return { host: scp[1] ?? '', port: undefined, path: scp[2] ?? '' };
  const scpNoUser = SCP_LIKE_NO_USER.exec(input);
  if (scpNoUser !== null) return { host: scpNoUser[1] ?? '', port: undefined, path: scpNoUser[2] ?? '' };
  const bare = SCHEMELESS.exec(input);
  if (bare !== null) {
    const hostPort = splitAuthority(bare[1] ?? '');
    if (hostPort === undefined) return undefined;
    return { ...hostPort, path: bare[2] ?? '' };
  }
  return undefined;
}

export function normalizeRepoUrl(url: string): string {
  const input = url.trim();
  const parsed = parse(input);
  if (parsed === undefined) return input.toLowerCase();
  if ('file' in parsed) return parsed.file;
  const lowerHost = parsed.host.toLowerCase();
  const host = SSH_HOST_ALIASES[lowerHost] ?? lowerHost;
  const port = parsed.port === undefined || DEFAULT_PORTS.has(parsed.port) ? '' : `:${parsed.port}`;
  const path = trimRepoPath(parsed.path).replace(/^\/+/, '');
  return `${host}${port}${path === '' ? '' : `/${path}`}`.toLowerCase();
}

/** True when both URLs name the same repository by {@link normalizeRepoUrl}. */
export function sameRepoUrl(a: string, b: string): boolean {
  return normalizeRepoUrl(a) === normalizeRepoUrl(b);
}
