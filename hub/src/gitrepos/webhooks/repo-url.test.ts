import { describe, expect, it } from 'vitest';
import { normalizeRepoUrl, sameRepoUrl } from './repo-url.js';

describe('normalizeRepoUrl', () => {
  it.each([
    'https://github.com/Org/Repo.git',
    'https://user:tok@github.com/org/repo',
    'https://x-access-token:ghs_abc123@github.com/org/repo.git',
    'http://github.com/org/repo/',
    'https://github.com:443/org/repo.git/',
    'HTTPS://GitHub.COM/org/repo',
    'ssh://git@github.com:22/org/repo.git',
    'ssh://git@github.com/org/repo',
    'git+ssh://git@github.com/org/repo.git',
    'ssh://git@ssh.github.com:443/org/repo.git',
    'git://github.com/org/repo.git',
    'git://github.com:9418/org/repo.git',
    'git@github.com:org/repo.git',
    'git@github.com:/org/repo.git',
    'github.com:org/repo.git',
    'github.com/org/repo',
    'https://github.com/org/repo?tab=readme#top',
    '  https://github.com/org/repo  ',
  ])('%s → github.com/org/repo', (url) => {
    expect(normalizeRepoUrl(url)).toBe('github.com/org/repo');
  });

  it.each([
    ['http://127.0.0.1:8080/org/repo.git', '127.0.0.1:8080/org/repo'],
    ['https://gitea.example.com:3000/org/repo', 'gitea.example.com:3000/org/repo'],
    ['ssh://git@gitea.example.com:2222/flotilla/fleet-examples.git', 'gitea.example.com:2222/flotilla/fleet-examples'],
    ['gitea.example.com:3000/org/repo', 'gitea.example.com:3000/org/repo'],
    ['localhost:3000/org/repo', 'localhost:3000/org/repo'],
    ['http://[::1]:8080/org/repo', '[::1]:8080/org/repo'],
    ['ssh://git@[2001:db8::1]/org/repo.git', '[2001:db8::1]/org/repo'],
  ])('keeps the non-default port of %s', (url, key) => {
    expect(normalizeRepoUrl(url)).toBe(key);
  });

  it('gives every URL of one GitLab subgroup project the same key', () => {
    const urls = [
      'https://gitlab.example.com/platform/gitops/fleet-examples.git',
      'git@gitlab.example.com:platform/gitops/fleet-examples.git',
      'https://gitlab.example.com/platform/gitops/fleet-examples',
      'https://oauth2:glpat-xyz@gitlab.example.com/Platform/GitOps/Fleet-Examples.git',
      'ssh://git@gitlab.example.com:443/platform/gitops/fleet-examples.git',
    ];
    expect(new Set(urls.map(normalizeRepoUrl))).toEqual(new Set(['gitlab.example.com/platform/gitops/fleet-examples']));
    expect(normalizeRepoUrl('ssh://git@altssh.gitlab.com:443/group/project.git')).toBe('gitlab.com/group/project');
    expect(normalizeRepoUrl('ssh://git@altssh.bitbucket.org:443/ws/repo.git')).toBe('bitbucket.org/ws/repo');
  });

  it('reads a digit-led path after user@host: as a path (scp-like), not a port', () => {
    expect(normalizeRepoUrl('git@git.example.com:2024/archive.git')).toBe('git.example.com/2024/archive');
    expect(normalizeRepoUrl('git.example.com:2024/archive.git')).toBe('git.example.com:2024/archive');
  });

  it('keeps local repositories as file:// keys with their case, distinct from any host', () => {
    expect(normalizeRepoUrl('file:///srv/x.git')).toBe('file:///srv/x');
    expect(normalizeRepoUrl('file:///srv/x/')).toBe('file:///srv/x');
    expect(normalizeRepoUrl('/srv/x.git')).toBe('file:///srv/x');
    expect(normalizeRepoUrl('file://localhost/srv/x.git')).toBe('file:///srv/x');
    expect(normalizeRepoUrl('file:///srv/Repos/X.git')).toBe('file:///srv/Repos/X');
    expect(normalizeRepoUrl('file:///srv/x')).not.toBe(normalizeRepoUrl('srv/x'));
  });

  it('distinguishes different repositories, hosts and ports', () => {
    expect(sameRepoUrl('https://github.com/org/repo', 'https://github.com/org/repo2')).toBe(false);
    expect(sameRepoUrl('https://github.com/org/repo', 'https://gitlab.com/org/repo')).toBe(false);
    expect(sameRepoUrl('http://git.example.com:8080/org/repo', 'http://git.example.com:8081/org/repo')).toBe(false);
    expect(sameRepoUrl('https://github.com/org/repo', 'https://github.com/org/repo/sub')).toBe(false);
    expect(sameRepoUrl('https://github.com/Org/Repo', 'git@github.com:org/repo.git')).toBe(true);
  });

  it('drops .git once, only as a suffix', () => {
    expect(normalizeRepoUrl('https://example.com/org/repo.github.io.git')).toBe('example.com/org/repo.github.io');
    expect(normalizeRepoUrl('https://example.com/org/.git')).toBe('example.com/org');
    expect(normalizeRepoUrl('https://example.com/org/repo.GIT')).toBe('example.com/org/repo');
  });

  it.each([
    ['', ''],
    ['   ', ''],
    ['not a url', 'not a url'],
    ['https://', 'https://'],
    ['https:///org/repo', 'https:///org/repo'],
    ['https://host:abc/org/repo', 'https://host:abc/org/repo'],
    ['Org/Repo', 'org/repo'],
    ['./Repo', './repo'],
    ['file://server/share/repo', 'file://server/share/repo'],
    ['file:///', 'file:///'],
  ])('returns an unknown form %j trimmed and lower-cased', (url, key) => {
    expect(normalizeRepoUrl(url)).toBe(key);
  });

  it('keeps a host-only URL as the host', () => {
    expect(normalizeRepoUrl('https://GitHub.com/')).toBe('github.com');
  });
});
