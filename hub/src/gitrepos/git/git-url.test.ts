import { describe, expect, it } from 'vitest';
import { parseGitUrl } from './git-url.js';

describe('parseGitUrl', () => {
  it.each([
    ['https://github.com/org/repo.git', 'https'],
    ['http://127.0.0.1:8080/repo', 'http'],
    ['ssh://git@127.0.0.1:2222/srv/repo.git', 'ssh'],
    ['git@github.com:org/repo.git', 'ssh'],
    ['file:///srv/repo.git', 'file'],
  ])('%s is %s', (url, transport) => {
    expect(parseGitUrl(url, { allowFile: true })).toBe(transport);
  });

  it.each([
    ['', /without spaces/],
    ['-uhelp', /must not start with "-"/],
    ['ext::sh -c touch% /tmp/pwned', /without spaces/],
    ['ext::sh', /must be https/],
    ['ftp://host/repo', /scheme ftp/],
    ['https://user:secret@host/repo', /password.*\*\*\*/],
    ['https://token@host/repo', /user name/],
    ['file://host/srv/repo', /file:\/\/\/absolute/],
    ['/srv/repo', /must be https/],
  ])('refuses %j', (url, message) => {
    expect(() => parseGitUrl(url, { allowFile: true })).toThrow(message);
  });

  it('refuses file:// unless the hub allows it, and never echoes a password', () => {
    expect(() => parseGitUrl('file:///srv/repo', { allowFile: false })).toThrow(/FLOTILLA_GIT_ALLOW_FILE_URLS/);
    expect(() => parseGitUrl('https://u:hunter2@h/r', { allowFile: false })).toThrow(expect.not.objectContaining({ message: expect.stringContaining('hunter2') }));
  });
});
