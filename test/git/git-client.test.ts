import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitClient } from '../../hub/src/gitrepos/git/git-client.ts';
import { createRepo, startSmartHttpServer, type SmartHttpServer, type TestRepo } from '../support/git-server.ts';

/**
 * The hub's git client against real git servers: resolving refs over smart
 * HTTP happens in-process with one protocol-v2 ls-refs request (no git
 * process), tags are peeled, and what cannot be resolved says why.
 */
let repo: TestRepo;
let http: SmartHttpServer;
let cache: string;
let git: GitClient;
let main: string;
let first: string;
const credentials = { username: 'u', password: 'p4ss-word' };

beforeAll(async () => {
  repo = await createRepo();
  await repo.writeFiles({ 'a.yaml': 'a: 1\n' });
  first = await repo.commit('one');
  await repo.tag('v1', first, { message: 'annotated v1' });
  await repo.tag('light', first);
  await repo.writeFiles({ 'a.yaml': 'a: 2\n' });
  main = await repo.commit('two');
  http = await startSmartHttpServer({ root: repo.root, ...credentials });
  cache = await mkdtemp(join(tmpdir(), 'git-client-'));
  git = new GitClient({ cacheDir: cache, timeoutMs: 30_000 });
});
afterAll(async () => {
  await http?.close();
  await repo?.dispose();
  await rm(cache, { recursive: true, force: true });
});

const remote = (url = http.url(repo.name), creds: typeof credentials | null = credentials) => ({ url, ...(creds ? { credentials: creds } : {}), tls: {} });

describe('GitClient.resolve over smart HTTP', () => {
  it('resolves a branch with one ls-refs request and no git process', async () => {
    const before = http.log.length;
    expect(await git.resolve(remote(), { branch: 'main' })).toBe(main);
    const requests = http.log.slice(before);
    expect(requests.map((r) => `${r.method} ${r.url.replace(/^\/[^/]+/, '')} ${r.status}`)).toEqual(['POST /git-upload-pack 200']);
  });

  it('peels an annotated tag to its commit, and resolves a lightweight one', async () => {
    expect(await git.resolve(remote(), { revision: 'v1' })).toBe(first);
    expect(await git.resolve(remote(), { revision: 'light' })).toBe(first);
    expect(await git.resolve(remote(), { revision: 'main' })).toBe(main);
  });

  it('says RevisionNotFound, AuthFailed and FetchFailed precisely', async () => {
    await expect(git.resolve(remote(), { branch: 'nope' })).rejects.toMatchObject({ reason: 'RevisionNotFound', message: expect.stringContaining('branch "nope" not found') });
    await expect(git.resolve(remote(), { revision: 'abc1234' })).rejects.toMatchObject({ reason: 'RevisionNotFound', message: expect.stringContaining('full 40-character sha') });
    await expect(git.resolve(remote(undefined, { username: 'u', password: 'wrong' }), { branch: 'main' })).rejects.toMatchObject({ reason: 'AuthFailed' });
    await expect(git.resolve(remote(undefined, null), { branch: 'main' })).rejects.toMatchObject({ reason: 'AuthFailed' });
    await expect(git.resolve(remote(http.url('missing.git')), { branch: 'main' })).rejects.toMatchObject({ reason: 'FetchFailed' });
    await expect(git.resolve(remote('http://127.0.0.1:9/r.git'), { branch: 'main' })).rejects.toMatchObject({ reason: 'FetchFailed', message: expect.stringContaining('127.0.0.1:9') });
  });

  it('checks out a commit into its cache, and again after the cache is deleted', async () => {
    const dir = await git.checkout('r1', remote(), { branch: 'main' }, main);
    expect((await git.commitInfo(dir, remote())).sha).toBe(main);
    await rm(cache, { recursive: true, force: true });
    const again = await git.checkout('r1', remote(), { revision: 'v1' }, first);
    expect(await git.commitInfo(again, remote())).toMatchObject({ sha: first, message: 'one' });
  });
});
