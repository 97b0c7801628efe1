import { DomainError } from '../../platform/errors/domain-error.js';

export type GitTransport = 'https' | 'http' | 'ssh' | 'file';

const SCP = /^([A-Za-z0-9._-]+@)?([A-Za-z0-9.-]+|\[[0-9a-fA-F:]+\]):(?!\/\/)(.+)$/;

/**
 * Checks a GitRepo URL and says how it is reached: `https://`, `http://`,
 * `ssh://`, scp-style `user@host:path`, or `file://` (only when the hub allows
 * it: a file URL reads the hub's own disk). Anything else — `ext::`, `fd::`,
 * a leading `-` (git would read it as an option), credentials inside the URL
 * (they would end up in logs and status) — is refused.
 */
export function parseGitUrl(url: string, options: { allowFile: boolean }, field = 'repo'): GitTransport {
  const fail = (why: string) => new DomainError('InvalidGitRepo', `${field}: ${why} (got "${redact(url)}")`, { field });
  if (!url || url !== url.trim() || /\s/.test(url)) throw fail('must be a URL without spaces');
  if (url.startsWith('-')) throw fail('must not start with "-"');
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase();
  if (scheme === undefined) {
    if (SCP.test(url) && !url.includes('::')) return 'ssh';
    throw fail('must be https://, http://, ssh://, user@host:path or file://');
  }
  if (scheme !== 'https' && scheme !== 'http' && scheme !== 'ssh' && scheme !== 'file') throw fail(`scheme ${scheme}:// is not supported`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw fail('is not a valid URL');
  }
  if (parsed.password) throw fail('must not hold a password: give it in credentials');
  if ((scheme === 'http' || scheme === 'https') && parsed.username) throw fail('must not hold a user name: give it in credentials');
  if (scheme === 'file') {
    if (!options.allowFile) throw fail('file:// URLs are disabled on this hub (FLOTILLA_GIT_ALLOW_FILE_URLS=true allows them)');
    if (parsed.host) throw fail('file:// URLs must be file:///absolute/path');
    return 'file';
  }
  if (!parsed.hostname) throw fail('has no host');
  return scheme;
}

/** The URL with any password replaced, for messages. */
export function redact(url: string): string {
  return url.replace(/\/\/([^/@:]*):[^/@]*@/, '//$1:***@');
}
