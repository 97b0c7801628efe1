import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../support/database.ts';
import { eventually } from '../support/eventually.ts';
import { createRepo, startSmartHttpServer, startSshServer, type SmartHttpServer, type TestRepo, type TestSshServer } from '../support/git-server.ts';
import { startHub, type TestHub } from '../support/hub.ts';

/**
 * GitRepo credentials against real git servers (issue #11): smart HTTP
 * (git http-backend) that requires basic auth, and a real sshd with its own
 * host key. Wrong credentials, an unknown host key and an unreachable host
 * each give a precise status and change nothing; credentials are stored
 * sealed and never appear in the API, the logs or the database in clear.
 */
const PASSWORD = 'tok-8f2c1e77d4a9b3f0';
let hub: TestHub;
let repo: TestRepo;
let http: SmartHttpServer;
let ssh: TestSshServer;
let sha: string;

beforeAll(async () => {
  repo = await createRepo();
  await repo.writeFiles({ 'app/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  a: "1"\n' });
  sha = await repo.commit('initial');
  [hub, http, ssh] = await Promise.all([startHub(), startSmartHttpServer({ root: repo.root, username: 'flotilla', password: PASSWORD }), startSshServer({ root: repo.root })]);
}, 120_000);
afterAll(async () => {
  await hub?.dispose();
  await http?.close();
  await ssh?.close();
  await repo?.dispose();
});

const status = async (name: string) => (await hub.api('GET', `/api/v1/gitrepos/${name}`)).body.status;
const put = (name: string, body: Record<string, unknown>) => hub.api('PUT', `/api/v1/gitrepos/${name}`, { branch: 'main', targets: [{ clusterSelector: {} }], ...body });
const bundleCount = async (name: string) =>
  Number((await query<{ n: string }>(hub.database.url, 'SELECT count(*) AS n FROM bundles b JOIN git_repos g ON g.id = b.git_repo_id WHERE g.name = $1', [name]))[0]!.n);

describe('GitRepo credentials', () => {
  it('fetches over smart HTTP with basic auth, and says AuthFailed with none or wrong ones', async () => {
    expect((await put('http-ok', { repo: http.url(repo.name), credentials: { username: 'flotilla', password: PASSWORD } })).status).toBe(201);
    await eventually(async () => expect(await status('http-ok')).toMatchObject({ reason: 'Ready', commit: { sha } }));

    await put('http-none', { repo: http.url(repo.name) });
    await put('http-wrong', { repo: http.url(repo.name), credentials: { username: 'flotilla', password: 'wrong' } });
    for (const name of ['http-none', 'http-wrong']) {
      await eventually(async () => expect(await status(name)).toMatchObject({ ready: false, reason: 'AuthFailed', commit: null }));
      expect(await bundleCount(name)).toBe(0);
    }
  });

  it('fetches over SSH with a key and known_hosts, and refuses an unknown host key', async () => {
    const credentials = { sshPrivateKey: ssh.clientKey.privateKey, knownHosts: ssh.knownHosts };
    await put('ssh-ok', { repo: ssh.url(repo.name), credentials });
    await eventually(async () => expect(await status('ssh-ok')).toMatchObject({ reason: 'Ready', commit: { sha } }));
    expect(await bundleCount('ssh-ok')).toBe(1);

    await put('ssh-hostkey', { repo: ssh.url(repo.name), credentials: { ...credentials, knownHosts: '[127.0.0.1]:1 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl' } });
    await eventually(async () => expect(await status('ssh-hostkey')).toMatchObject({ reason: 'AuthFailed', message: expect.stringMatching(/Host key verification failed/) }));
    expect(await bundleCount('ssh-hostkey')).toBe(0);
  });

  it('says FetchFailed for an unreachable host, and keeps what the last good fetch gave', async () => {
    await put('moves', { repo: http.url(repo.name), credentials: { username: 'flotilla', password: PASSWORD } });
    await eventually(async () => expect(await status('moves')).toMatchObject({ reason: 'Ready' }));
    await put('moves', { repo: 'http://127.0.0.1:9/nothing.git' });
    await eventually(async () => expect(await status('moves')).toMatchObject({ reason: 'FetchFailed', message: expect.stringMatching(/127\.0\.0\.1/), commit: { sha } }));
    expect(await bundleCount('moves')).toBe(1);
    expect((await hub.api('GET', '/healthz')).status).toBeLessThan(500);
  });

  it('never shows credentials: not in the API, not in logs, not in clear in any column', async () => {
    const view = (await hub.api('GET', '/api/v1/gitrepos/ssh-ok')).body;
    expect(view).toMatchObject({ hasCredentials: true });
    const key = ssh.clientKey.privateKey.split('\n')[1]!;
    for (const secret of [PASSWORD, key]) {
      expect(JSON.stringify((await hub.api('GET', '/api/v1/gitrepos')).body)).not.toContain(secret);
      expect(hub.logs()).not.toContain(secret);
      const rows = await query<{ row: string }>(hub.database.url, 'SELECT row_to_json(g)::text AS row FROM git_repos g');
      const raw = await query<{ c: string }>(hub.database.url, "SELECT encode(coalesce(credentials, ''::bytea), 'escape') AS c FROM git_repos");
      expect(rows.length).toBeGreaterThan(0);
      for (const r of [...rows.map((x) => x.row), ...raw.map((x) => x.c)]) expect(r).not.toContain(secret);
    }
  });
});
