/**
 * The git servers in test/support/git-server.ts, checked with the real git
 * client over file://, smart HTTP (with Basic auth) and SSH. The tests in a
 * file run in order and share one repository: later ones build on its history.
 */
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRepo, GitError, runGit, startSmartHttpServer, startSshServer, type SmartHttpServer, type TestRepo, type TestSshServer } from '../support/git-server.ts';

const USERNAME = 'flotilla';
const PASSWORD = 's3cret-passw0rd';

/** git config through the environment: no credential helper, no askpass, nothing written to disk. */
function configEnv(entries: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = { GIT_CONFIG_COUNT: String(Object.keys(entries).length) };
  Object.entries(entries).forEach(([key, value], i) => {
    env[`GIT_CONFIG_KEY_${i}`] = key;
    env[`GIT_CONFIG_VALUE_${i}`] = value;
  });
  return env;
}

function basicAuthEnv(username: string, password: string): Record<string, string> {
  return configEnv({ 'http.extraHeader': `Authorization: Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` });
}

/** The GitError a git command fails with (fails the test if it succeeds). */
async function gitFailure(args: string[], env: Record<string, string> = {}): Promise<GitError> {
  const error = await runGit(args, { env }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `git ${args.join(' ')} should have failed`).toBeInstanceOf(GitError);
  return error as GitError;
}

/** sha of `ref` in `git ls-remote` output. */
function lsRemoteSha(output: string, ref: string): string | undefined {
  return output
    .split('\n')
    .map((line) => line.split('\t'))
    .find(([, name]) => name === ref)?.[0];
}

/** A shell-safe word for GIT_SSH_COMMAND, which git runs through sh. */
function shellWord(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

let scratch: string;
let repo: TestRepo;
let http: SmartHttpServer;
let ssh: TestSshServer;
let firstSha: string;
let keyFile: string;
let knownHostsFile: string;

function sshEnv(options: { knownHosts?: string; key?: string; port?: number } = {}): Record<string, string> {
  const words = [
    'ssh',
    ...(options.port === undefined ? [] : ['-p', String(options.port)]),
    '-i',
    shellWord(options.key ?? keyFile),
    '-o IdentitiesOnly=yes',
    `-o UserKnownHostsFile=${shellWord(options.knownHosts ?? knownHostsFile)}`,
    '-o GlobalKnownHostsFile=/dev/null',
    '-o StrictHostKeyChecking=yes',
    '-o BatchMode=yes',
    '-F /dev/null',
  ];
  return { GIT_SSH_COMMAND: words.join(' ') };
}

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'flotilla-git-client-'));
  repo = await createRepo();
  await repo.writeFiles({ 'README.md': '# demo\n', 'deploy/app.yaml': 'kind: ConfigMap\n' });
  firstSha = await repo.commit('first');
  http = await startSmartHttpServer({ root: repo.root, username: USERNAME, password: PASSWORD });
  ssh = await startSshServer({ root: repo.root });
  keyFile = path.join(scratch, 'id_ed25519');
  await writeFile(keyFile, ssh.clientKey.privateKey, { mode: 0o600 });
  knownHostsFile = path.join(scratch, 'known_hosts');
  await writeFile(knownHostsFile, `${ssh.knownHosts}\n`);
});

afterAll(async () => {
  await http?.close();
  await ssh?.close();
  await repo?.dispose();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe('createRepo', () => {
  it('pushes commits into a bare repository on main that clones over file://', async () => {
    expect(firstSha).toMatch(/^[0-9a-f]{40}$/);
    expect(await runGit(['rev-parse', 'refs/heads/main'], { env: { GIT_DIR: repo.barePath } })).toBe(firstSha);
    const dest = path.join(scratch, 'file-clone');
    await runGit(['clone', '--quiet', repo.fileUrl, dest]);
    expect(await runGit(['rev-parse', 'HEAD'], { cwd: dest })).toBe(firstSha);
    expect(await readFile(path.join(dest, 'deploy/app.yaml'), 'utf8')).toBe('kind: ConfigMap\n');
  });

  it('deletes files written as null and refuses paths outside the work tree', async () => {
    await repo.writeFiles({ 'scratch.txt': 'x' });
    await repo.writeFiles({ 'scratch.txt': null });
    expect(await repo.git('status', '--porcelain')).toBe('');
    await expect(repo.writeFiles({ '../escape.txt': 'x' })).rejects.toThrow(/not a path inside the work tree/);
  });

  it("carries git's output in its errors", async () => {
    const failure = await repo.git('rev-parse', '--verify', 'refs/heads/no-such-branch').catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(GitError);
    expect((failure as GitError).stderr).toMatch(/Needed a single revision/);
    expect((failure as GitError).message).toMatch(/Needed a single revision/);
    // git commit says "nothing to commit" on stdout, not stderr.
    await expect(repo.commit('nothing changed')).rejects.toThrow(/nothing to commit/);
  });
});

describe('smart HTTP server', () => {
  it('serves clones to the right Basic credentials', async () => {
    const dest = path.join(scratch, 'http-clone');
    await runGit(['clone', '--quiet', http.url(repo.name), dest], { env: basicAuthEnv(USERNAME, PASSWORD) });
    expect(await runGit(['rev-parse', 'HEAD'], { cwd: dest })).toBe(firstSha);
    expect(await readFile(path.join(dest, 'README.md'), 'utf8')).toBe('# demo\n');
    expect(http.url(repo.name)).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/remote\.git$/);
  });

  it('answers ls-remote with the pushed sha, over protocol v2', async () => {
    const before = http.log.length;
    const out = await runGit(['ls-remote', http.url(repo.name)], { env: basicAuthEnv(USERNAME, PASSWORD) });
    expect(lsRemoteSha(out, 'refs/heads/main')).toBe(firstSha);
    expect(lsRemoteSha(out, 'HEAD')).toBe(firstSha);
    // Protocol v2 only reaches http-backend through HTTP_GIT_PROTOCOL; under v0 ls-remote is a single GET.
    expect(http.log.slice(before).map((r) => `${r.method} ${r.url} ${r.status}`)).toEqual([
      'GET /remote.git/info/refs?service=git-upload-pack 200',
      'POST /remote.git/git-upload-pack 200',
    ]);
  });

  it('refuses requests without credentials with 401 and WWW-Authenticate', async () => {
    const response = await fetch(`${http.url(repo.name)}/info/refs?service=git-upload-pack`);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Basic realm="git"');
    const failure = await gitFailure(['ls-remote', http.url(repo.name)], { GIT_CURL_VERBOSE: '1' });
    expect(failure.stderr).toMatch(/HTTP\/1\.1 401 Unauthorized/);
    // Told no credentials, git would ask for a username; prompts are off in runGit.
    expect(failure.stderr).toMatch(/could not read Username/);
  });

  it('refuses wrong credentials', async () => {
    const header = await gitFailure(['ls-remote', http.url(repo.name)], { ...basicAuthEnv(USERNAME, 'wrong'), GIT_CURL_VERBOSE: '1' });
    expect(header.stderr).toMatch(/HTTP\/1\.1 401 Unauthorized/);
    const url = http.url(repo.name).replace('http://', `http://${USERNAME}:wrong@`);
    const inUrl = await gitFailure(['ls-remote', url]);
    expect(inUrl.stderr).toMatch(/Authentication failed/);
  });

  it('answers 404 for a repository that does not exist', async () => {
    const failure = await gitFailure(['ls-remote', http.url('missing.git')], basicAuthEnv(USERNAME, PASSWORD));
    expect(failure.stderr).toMatch(/not found|404/i);
  });

  it('shows a new push to a fetch of an earlier clone', async () => {
    const dest = path.join(scratch, 'http-clone');
    await repo.writeFiles({ 'deploy/app.yaml': 'kind: ConfigMap\ndata: {v: "2"}\n' });
    const second = await repo.commit('second');
    await runGit(['fetch', '--quiet', 'origin'], { cwd: dest, env: basicAuthEnv(USERNAME, PASSWORD) });
    expect(await runGit(['rev-parse', 'origin/main'], { cwd: dest })).toBe(second);
    expect(await runGit(['show', 'origin/main:deploy/app.yaml'], { cwd: dest })).toContain('v: "2"');
  });

  it('inflates gzip request bodies (git gzips fetch negotiations over 1 KiB)', async () => {
    // Its own repository in the same root: many branches on distinct commits make a long want list.
    const many = await createRepo(repo.root, 'many.git');
    try {
      for (let i = 0; i < 40; i++) {
        await many.writeFiles({ 'n.txt': String(i) });
        await many.git('add', '-A');
        await many.git('commit', '--quiet', '-m', `c${i}`);
        await many.git('branch', `b${i}`);
      }
      await many.git('push', '--quiet', 'origin', '--all');
      const dest = path.join(scratch, 'many-clone');
      const before = http.log.length;
      await runGit(['clone', '--quiet', '--mirror', http.url(many.name), dest], { env: basicAuthEnv(USERNAME, PASSWORD) });
      const branches = await runGit(['for-each-ref', '--format=%(refname)', 'refs/heads/'], { cwd: dest });
      expect(branches.split('\n')).toHaveLength(41);
      const gzipped = http.log.slice(before).filter((r) => r.contentEncoding === 'gzip');
      expect(gzipped.length).toBeGreaterThan(0);
      expect(gzipped.every((r) => r.status === 200)).toBe(true);
    } finally {
      await many.dispose();
    }
  });

  it('counts requests', () => {
    expect(http.requests).toBeGreaterThanOrEqual(http.log.length);
    expect(http.requests).toBeGreaterThan(5);
  });
});

describe('SSH server', () => {
  it('builds URLs for the current user and a known_hosts line for its port', () => {
    const user = os.userInfo().username;
    expect(ssh.url(repo.name)).toBe(`ssh://${user}@127.0.0.1:${ssh.port}${repo.barePath}`);
    expect(ssh.knownHosts).toMatch(new RegExp(`^\\[127\\.0\\.0\\.1\\]:${ssh.port} ssh-ed25519 AAAA\\S+$`));
    expect(ssh.clientKey.publicKey).toMatch(/^ssh-ed25519 AAAA/);
  });

  it('answers ls-remote with the pushed sha', async () => {
    const head = await repo.git('rev-parse', 'HEAD');
    const out = await runGit(['ls-remote', ssh.url(repo.name)], { env: sshEnv() });
    expect(lsRemoteSha(out, 'refs/heads/main')).toBe(head);
  });

  it('serves clones over ssh:// and scp-style URLs', async () => {
    const head = await repo.git('rev-parse', 'HEAD');
    const dest = path.join(scratch, 'ssh-clone');
    await runGit(['clone', '--quiet', ssh.url(repo.name), dest], { env: sshEnv() });
    expect(await runGit(['rev-parse', 'HEAD'], { cwd: dest })).toBe(head);
    expect(await readFile(path.join(dest, 'README.md'), 'utf8')).toBe('# demo\n');
    // scp-style cannot carry a port: it comes from the ssh command.
    const scpDest = path.join(scratch, 'scp-clone');
    await runGit(['clone', '--quiet', ssh.scpUrl(repo.name), scpDest], { env: sshEnv({ port: ssh.port }) });
    expect(await runGit(['rev-parse', 'HEAD'], { cwd: scpDest })).toBe(head);
  });

  it('fails host key verification against an empty known_hosts', async () => {
    const empty = path.join(scratch, 'known_hosts.empty');
    await writeFile(empty, '');
    const failure = await gitFailure(['ls-remote', ssh.url(repo.name)], sshEnv({ knownHosts: empty }));
    expect(failure.stderr).toMatch(/Host key verification failed/);
  });

  it('refuses a key that is not in authorized_keys', async () => {
    const other = path.join(scratch, 'other_ed25519');
    await new Promise<void>((resolve, reject) =>
      execFile('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other], (error) => (error ? reject(error) : resolve())),
    );
    await chmod(other, 0o600);
    const failure = await gitFailure(['ls-remote', ssh.url(repo.name)], sshEnv({ key: other }));
    expect(failure.stderr).toMatch(/Permission denied \(publickey\)/);
  });

  it('sees force-pushes and tags', async () => {
    await repo.push({ commit: firstSha, ref: 'main', force: true });
    expect(await repo.tag('v1', firstSha)).toBe(firstSha);
    expect(await repo.tag('v1-annotated', firstSha, { message: 'release 1' })).toBe(firstSha);
    const out = await runGit(['ls-remote', ssh.url(repo.name)], { env: sshEnv() });
    expect(lsRemoteSha(out, 'refs/heads/main')).toBe(firstSha);
    expect(lsRemoteSha(out, 'refs/tags/v1')).toBe(firstSha);
    expect(lsRemoteSha(out, 'refs/tags/v1-annotated^{}')).toBe(firstSha);
    const overHttp = await runGit(['ls-remote', http.url(repo.name)], { env: basicAuthEnv(USERNAME, PASSWORD) });
    expect(lsRemoteSha(overHttp, 'refs/heads/main')).toBe(firstSha);
  });

  it('fails with what sshd said when it exits instead of listening', async () => {
    const fake = path.join(scratch, 'fake-sshd');
    await writeFile(fake, '#!/bin/sh\necho "fake-sshd: Bad configuration option" >&2\nexit 255\n', { mode: 0o755 });
    await expect(startSshServer({ root: repo.root, sshdPath: fake })).rejects.toThrow(/sshd exited \(255\) before listening[\s\S]*fake-sshd: Bad configuration option/);
  });

  it('says how to install sshd when it is missing', async () => {
    await expect(startSshServer({ root: repo.root, sshdPath: path.join(scratch, 'no-sshd') })).rejects.toThrow(
      'sshd not found: install openssh-server (apt-get install -y openssh-server)',
    );
  });
});
