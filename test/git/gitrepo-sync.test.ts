import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../support/database.ts';
import { eventually } from '../support/eventually.ts';
import { createRepo, type TestRepo } from '../support/git-server.ts';
import { startHub, type TestHub } from '../support/hub.ts';

/**
 * GitRepos over file:// (issue #11): bundles are discovered in each new
 * commit and owned by their GitRepo; a commit touches only the bundles it
 * changed; a path that leaves Git removes its bundle only after a good sync;
 * a failed fetch or an unreadable bundle changes nothing else.
 */
let hub: TestHub;
const repos: TestRepo[] = [];

beforeAll(async () => {
  hub = await startHub();
}, 120_000);
afterAll(async () => {
  await hub?.dispose();
  for (const r of repos) await r.dispose();
});

const cm = (name: string, value: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  value: "${value}"\n`;

async function newRepo(files: Record<string, string>): Promise<{ repo: TestRepo; sha: string }> {
  const repo = await createRepo();
  repos.push(repo);
  await repo.writeFiles(files);
  return { repo, sha: await repo.commit('initial') };
}

async function gitRepo(name: string) {
  const res = await hub.api('GET', `/api/v1/gitrepos/${name}`);
  expect(res.status).toBe(200);
  return res.body;
}

const synced = (name: string, sha: string) =>
  eventually(async () => {
    const r = await gitRepo(name);
    expect({ reason: r.status.reason, message: r.status.message, sha: r.status.commit?.sha, rendered: r.status.renderedCommit?.sha }).toEqual({ reason: 'Ready', message: '', sha, rendered: sha });
    return r;
  });

const bundleRows = async (gitRepoName: string) =>
  query<{ name: string; source_id: string; git_path: string; updated_at: Date }>(
    hub.database.url,
    'SELECT b.name, b.source_id, b.git_path, b.updated_at FROM bundles b JOIN git_repos g ON g.id = b.git_repo_id WHERE g.name = $1 ORDER BY b.name',
    [gitRepoName],
  );

describe('GitRepo sync from a file:// repository', () => {
  it('discovers its bundles, owns them, updates only what a commit changed and removes what left Git', async () => {
    const { repo, sha } = await newRepo({ 'apps/web/web.yaml': cm('web', '1'), 'apps/db/fleet.yaml': 'defaultNamespace: data\n', 'apps/db/db.yaml': cm('db', '1') });
    const put = await hub.api('PUT', '/api/v1/gitrepos/shop', { repo: repo.fileUrl, branch: 'main', paths: ['apps/*'], targets: [{ clusterSelector: {} }] });
    expect(put.status).toBe(201);
    const first = await synced('shop', sha);
    expect(first.status.commit).toMatchObject({ message: 'initial' });
    expect(first.status.bundles.map((b: { name: string; path: string }) => [b.name, b.path])).toEqual([
      ['shop-apps-db', 'apps/db'],
      ['shop-apps-web', 'apps/web'],
    ]);
    const bundle = await hub.api('GET', '/api/v1/bundles/shop-apps-web');
    expect(bundle.body.gitRepo).toEqual({ name: 'shop', path: 'apps/web' });

    // Only the GitRepo changes its bundles.
    const edit = await hub.api('PUT', '/api/v1/bundles/shop-apps-web', { resources: [], targets: [] });
    expect(edit).toMatchObject({ status: 409, body: { error: 'BundleOwnedByGitRepo' } });
    expect((await hub.api('DELETE', '/api/v1/bundles/shop-apps-web')).status).toBe(409);

    const before = await bundleRows('shop');
    await repo.writeFiles({ 'apps/web/web.yaml': cm('web', '2') });
    const second = await repo.commit('web: 2');
    await hub.api('POST', '/api/v1/gitrepos/shop/refresh');
    await synced('shop', second);
    const after = await bundleRows('shop');
    const byName = (rows: typeof before, name: string) => rows.find((r) => r.name === name)!;
    expect(byName(after, 'shop-apps-web').source_id).not.toBe(byName(before, 'shop-apps-web').source_id);
    // The bundle the commit did not touch was not written at all.
    expect(byName(after, 'shop-apps-db')).toEqual(byName(before, 'shop-apps-db'));

    await repo.writeFiles({ 'apps/db/db.yaml': null, 'apps/db/fleet.yaml': null });
    const third = await repo.commit('drop db');
    await hub.api('POST', '/api/v1/gitrepos/shop/refresh');
    await synced('shop', third);
    expect((await bundleRows('shop')).map((b) => b.name)).toEqual(['shop-apps-web']);
  });

  it('changes nothing when the branch is unknown or the paths match nothing, and says why', async () => {
    const { repo, sha } = await newRepo({ 'a/a.yaml': cm('a', '1') });
    await hub.api('PUT', '/api/v1/gitrepos/keep', { repo: repo.fileUrl, branch: 'main', targets: [{ clusterSelector: {} }] });
    await synced('keep', sha);
    const before = await bundleRows('keep');
    expect(before.map((b) => b.name)).toEqual(['keep']);

    await hub.api('PUT', '/api/v1/gitrepos/keep', { repo: repo.fileUrl, branch: 'nope', targets: [{ clusterSelector: {} }] });
    await eventually(async () => expect((await gitRepo('keep')).status).toMatchObject({ ready: false, reason: 'RevisionNotFound', message: expect.stringContaining('branch "nope" not found') }));
    expect(await bundleRows('keep')).toEqual(before);

    await hub.api('PUT', '/api/v1/gitrepos/keep', { repo: repo.fileUrl, branch: 'main', paths: ['missing/*'], targets: [{ clusterSelector: {} }] });
    await eventually(async () => expect((await gitRepo('keep')).status).toMatchObject({ reason: 'PathNotFound', message: expect.stringContaining('missing/*') }));
    expect(await bundleRows('keep')).toEqual(before);
  });

  it('updates the readable bundles of a commit and keeps an unreadable one as it was, naming file and line', async () => {
    const { repo, sha } = await newRepo({ 'x/fleet.yaml': 'defaultNamespace: x\n', 'x/x.yaml': cm('x', '1'), 'y/y.yaml': cm('y', '1') });
    await hub.api('PUT', '/api/v1/gitrepos/partial', { repo: repo.fileUrl, branch: 'main', paths: ['x', 'y'], targets: [{ clusterSelector: {} }] });
    await synced('partial', sha);
    const before = await bundleRows('partial');
    await repo.writeFiles({ 'x/fleet.yaml': 'defaultNamespace: x\nhelm:\n  values: [1, 2]\n', 'y/y.yaml': cm('y', '2') });
    await repo.commit('break x, change y');
    await hub.api('POST', '/api/v1/gitrepos/partial/refresh');
    const status = await eventually(async () => {
      const r = await gitRepo('partial');
      expect(r.status.reason).toBe('RenderFailed');
      return r.status;
    });
    expect(status.message).toMatch(/partial-x \(x\) keeps its last commit: x\/fleet\.yaml:3: helm\.values/);
    // Fetched the new commit, but the clusters are still given the last one that rendered whole.
    expect(status.commit.sha).not.toBe(sha);
    expect(status.renderedCommit).toEqual({ sha, at: expect.any(String) });
    expect(status.issues).toContainEqual(expect.objectContaining({ path: 'x', file: 'x/fleet.yaml', line: 3 }));
    const after = await bundleRows('partial');
    expect(after.find((b) => b.name === 'partial-x')).toEqual(before.find((b) => b.name === 'partial-x'));
    expect(after.find((b) => b.name === 'partial-y')!.source_id).not.toBe(before.find((b) => b.name === 'partial-y')!.source_id);
  });

  it('follows a force-push to an older commit, and a paused GitRepo changes nothing until resumed', async () => {
    const { repo, sha: one } = await newRepo({ 'p.yaml': cm('p', '1') });
    const body = { repo: repo.fileUrl, branch: 'main', targets: [{ clusterSelector: {} }], pollingInterval: 5 };
    await hub.api('PUT', '/api/v1/gitrepos/pause', body);
    await synced('pause', one);
    await repo.writeFiles({ 'p.yaml': cm('p', '2') });
    const two = await repo.commit('two');
    await hub.api('POST', '/api/v1/gitrepos/pause/refresh');
    await synced('pause', two);
    await repo.push({ commit: one, ref: 'main', force: true });
    await hub.api('POST', '/api/v1/gitrepos/pause/refresh');
    await synced('pause', one);

    await hub.api('PUT', '/api/v1/gitrepos/pause', { ...body, paused: true });
    await eventually(async () => expect((await gitRepo('pause')).status.reason).toBe('Paused'));
    await repo.writeFiles({ 'p.yaml': cm('p', '3') });
    const three = await repo.commit('three');
    await hub.api('POST', '/api/v1/gitrepos/pause/refresh');
    await new Promise((r) => setTimeout(r, 3000));
    expect((await gitRepo('pause')).status.commit.sha).toBe(one);
    await hub.api('PUT', '/api/v1/gitrepos/pause', { ...body, paused: false });
    await synced('pause', three);
  });

  it('refuses bad GitRepo bodies with the field named', async () => {
    const cases: [unknown, string, RegExp][] = [
      [{ repo: 'ext::sh -c id' }, 'body.repo', /without spaces/],
      [{ repo: 'https://u:pw@example.com/r.git' }, 'body.repo', /password/],
      [{ repo: 'https://example.com/r.git', branch: 'main', revision: 'v1' }, 'body.revision', /not both/],
      [{ repo: 'https://example.com/r.git', branch: '-x' }, 'body.branch', /valid git branch/],
      [{ repo: 'https://example.com/r.git', pollingInterval: 1 }, 'body.pollingInterval', /5/],
      [{ repo: 'git@example.com:org/r.git', credentials: { sshPrivateKey: 'k' } }, 'body.credentials.knownHosts', /known_hosts/],
      [{ repo: 'https://example.com/r.git', credentials: { sshPrivateKey: 'k' } }, 'body.credentials.sshPrivateKey', /ssh/],
      [{ repo: 'https://example.com/r.git', targets: [{}] }, 'body.targets[0]', /clusterName/],
    ];
    for (const [body, field, message] of cases) {
      const res = await hub.api('PUT', '/api/v1/gitrepos/bad', body);
      expect({ status: res.status, field: res.body.field }, JSON.stringify(body)).toEqual({ status: 400, field });
      expect(res.body.message).toMatch(message);
    }
    expect((await hub.api('GET', '/api/v1/gitrepos/bad')).status).toBe(404);
  });
});
