import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { register } from '../support/agent-client.ts';
import { query } from '../support/database.ts';
import { eventually } from '../support/eventually.ts';
import { createRepo, type TestRepo } from '../support/git-server.ts';
import { startHub, type TestHub } from '../support/hub.ts';
import { repoPath } from '../support/paths.ts';

/**
 * BundleSets on a real hub, PostgreSQL, Redis and git (issue #12): generated
 * bundles follow clusters and Git; every guard (generator error, empty
 * result, mass deletion) changes nothing; each policy does what it says;
 * preview equals the next evaluation; bad input is a 400 naming the field.
 * Clusters are registered over gRPC (no kube-apiserver: delivery to real
 * clusters is test/bundlesets/bundleset-e2e.test.ts's).
 */
let hub: TestHub;
let repo: TestRepo;
let token: string;
const ids = new Map<string, string>();

const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  app: ${name}\n`;

beforeAll(async () => {
  hub = await startHub();
  repo = await createRepo();
  await repo.writeFiles({
    'apps/web/web.yaml': cm('web'),
    'apps/db/db.yaml': cm('db'),
    'apps/skip/skip.yaml': cm('skip'),
    'config/envs.yaml': '- env: dev\n  replicas: 1\n- env: prod\n  replicas: 3\n',
    'config/bad.yaml': 'a: [1, 2\nb: 3\n',
  });
  const sha = await repo.commit('initial');
  expect((await hub.api('PUT', '/api/v1/gitrepos/src', { repo: repo.fileUrl, branch: 'main', sourceOnly: true })).status).toBe(201);
  await fetched(sha);
  token = (await hub.api('POST', '/api/v1/registration-tokens', { description: 'bundlesets' })).body.token;
  ids.set('c-dev', await cluster('c-dev', { env: 'dev' }));
  ids.set('c-prod', await cluster('c-prod', { env: 'prod' }));
}, 180_000);
afterAll(async () => {
  await hub?.dispose();
  await repo?.dispose();
});

async function fetched(sha: string): Promise<void> {
  await eventually(async () => expect((await hub.api('GET', '/api/v1/gitrepos/src')).body.status.commit?.sha).toBe(sha), { timeoutMs: 30_000 });
}

async function cluster(name: string, labels: Record<string, string>): Promise<string> {
  const reg = await register(hub, { token, identity: randomUUID(), name, labels });
  return reg.clusterId;
}

/** A matrix of clusters (by env) × gitDirectories (apps/*, not apps/skip): one bundle per app per cluster. */
const matrixSet = (over: Record<string, unknown> = {}) => ({
  generators: [
    {
      matrix: {
        generators: [
          { clusters: { selector: { matchExpressions: [{ key: 'env', operator: 'Exists' }] } } },
          { gitDirectories: { gitRepo: 'src', directories: [{ path: 'apps/*' }, { path: 'apps/skip', exclude: true }] } },
        ],
      },
    },
  ],
  template: {
    name: '{{ .path.basename }}-{{ .cluster.name }}',
    gitRepo: 'src',
    path: '{{ .path.path }}',
    namespace: '{{ .path.basename }}-{{ index .cluster.labels "env" }}',
    targets: [{ clusterName: '{{ .cluster.name }}' }],
    labels: { app: '{{ .path.basename }}' },
  },
  ...over,
});

async function evaluated(name: string, result = 'Evaluated', after?: string) {
  return eventually(
    async () => {
      const r = await hub.api('GET', `/api/v1/bundlesets/${name}`);
      expect(r.status).toBe(200);
      expect({ result: r.body.status.result, pending: r.body.status.evaluationPending }).toEqual({ result, pending: false });
      if (after) expect(r.body.status.evaluatedAt > after).toBe(true);
      return r.body;
    },
    { timeoutMs: 30_000 },
  );
}

const bundlesOf = async (set: string) =>
  (
    await query<{ name: string; spec: any; targets: any }>(
      hub.database.url,
      `SELECT b.name, b.generated_spec AS spec, b.targets FROM bundles b JOIN bundle_sets s ON s.id = b.bundle_set_id WHERE s.name = $1 ORDER BY b.name`,
      [set],
    )
  ).map((r) => r.name);

const deploymentsOf = async (bundle: string) =>
  (
    await query<{ cluster: string }>(
      hub.database.url,
      'SELECT c.name AS cluster FROM deployments d JOIN bundles b ON b.id = d.bundle_id JOIN clusters c ON c.id = d.cluster_id WHERE b.name = $1 ORDER BY c.name',
      [bundle],
    )
  ).map((r) => r.cluster);

describe('BundleSet evaluation', () => {
  it('turns clusters × directories into bundles, follows Git, labels and new clusters, and owns what it made', async () => {
    expect((await hub.api('PUT', '/api/v1/bundlesets/apps', matrixSet())).status).toBe(201);
    await evaluated('apps');
    expect(await bundlesOf('apps')).toEqual(['db-c-dev', 'db-c-prod', 'web-c-dev', 'web-c-prod']);
    await eventually(async () => expect(await deploymentsOf('web-c-prod')).toEqual(['c-prod']));
    const bundle = await query<{ fleet_yaml: any }>(hub.database.url, "SELECT s.fleet_yaml FROM bundles b JOIN bundle_sources s ON s.id = b.source_id WHERE b.name = 'web-c-prod'");
    expect(bundle[0]!.fleet_yaml).toMatchObject({ namespace: 'web-prod' });

    // Generated bundles change only through their BundleSet.
    expect(await hub.api('PUT', '/api/v1/bundles/web-c-dev', { resources: [], targets: [] })).toMatchObject({ status: 409, body: { error: 'BundleOwnedByBundleSet' } });
    expect((await hub.api('DELETE', '/api/v1/bundles/web-c-dev')).status).toBe(409);

    // A directory added in Git reaches every cluster; the bundles of the directories it did not change are not rewritten.
    const before = (await hub.api('GET', '/api/v1/bundlesets/apps')).body.status.evaluatedAt;
    const touched = async () => (await query<{ updated_at: Date }>(hub.database.url, "SELECT updated_at FROM bundles WHERE name = 'web-c-dev'"))[0]!.updated_at.getTime();
    const webWritten = await touched();
    await repo.writeFiles({ 'apps/api/api.yaml': cm('api') });
    const sha = await repo.commit('add api');
    await hub.api('POST', '/api/v1/gitrepos/src/refresh');
    await fetched(sha);
    await evaluated('apps', 'Evaluated', before);
    expect(await bundlesOf('apps')).toEqual(['api-c-dev', 'api-c-prod', 'db-c-dev', 'db-c-prod', 'web-c-dev', 'web-c-prod']);
    expect(await touched()).toBe(webWritten);
    const checkedAt = await query<{ commit: string }>(hub.database.url, "SELECT generated_spec->>'commit' AS commit FROM bundles WHERE name = 'web-c-dev'");
    expect(checkedAt[0]!.commit).toBe(sha);

    // A cluster that registers gets its bundles; one that loses the label loses them.
    const staging = await cluster('c-stage', { env: 'stage' });
    await eventually(async () => expect(await bundlesOf('apps')).toContain('web-c-stage'), { timeoutMs: 30_000 });
    // Only the new cluster's parameter sets were evaluated (the matrix is cluster-separable).
    await eventually(async () => expect(hub.logs()).toMatch(/BundleSet apps evaluated for 1 cluster\(s\) in \d+ ms: 3 parameter set\(s\), 3 created, 0 updated, 0 deleted/));
    expect((await hub.api('PATCH', `/api/v1/clusters/${staging}`, { labels: { env: null } })).status).toBe(200);
    await eventually(async () => expect(await bundlesOf('apps')).not.toContain('web-c-stage'), { timeoutMs: 30_000 });
    expect(hub.logs()).toMatch(/BundleSet apps evaluated for 1 cluster\(s\) in \d+ ms: 0 parameter set\(s\), 0 created, 0 updated, 3 deleted/);
    expect(await bundlesOf('apps')).toEqual(['api-c-dev', 'api-c-prod', 'db-c-dev', 'db-c-prod', 'web-c-dev', 'web-c-prod']);

    // status counts deployments by state.
    const status = (await hub.api('GET', '/api/v1/bundlesets/apps')).body.status;
    expect(status.bundles.total).toBe(6);
    expect(status.paramSetCount).toBe(6);
  });

  it('preview says what the next evaluation does, and changes nothing', async () => {
    const changed = matrixSet({
      template: { ...matrixSet().template, namespace: 'apps-{{ index .cluster.labels "env" }}' },
      generators: [{ matrix: { generators: [{ clusters: { selector: { matchLabels: { env: 'prod' } } } }, matrixSet().generators[0]!.matrix.generators[1]] } }],
    });
    const before = await bundlesOf('apps');
    const preview = await hub.api('POST', '/api/v1/bundlesets/preview', { name: 'apps', ...changed });
    expect(preview.status).toBe(200);
    expect(preview.body.error).toBeNull();
    expect(preview.body.create).toEqual([]);
    expect(preview.body.update.map((u: any) => [u.name, u.clusters, u.diff])).toEqual([
      ['api-c-prod', ['c-prod'], [{ op: 'replace', path: '/namespace', value: 'apps-prod' }]],
      ['db-c-prod', ['c-prod'], [{ op: 'replace', path: '/namespace', value: 'apps-prod' }]],
      ['web-c-prod', ['c-prod'], [{ op: 'replace', path: '/namespace', value: 'apps-prod' }]],
    ]);
    expect(preview.body.delete).toEqual([
      { name: 'api-c-dev', clusters: ['c-dev'] },
      { name: 'db-c-dev', clusters: ['c-dev'] },
      { name: 'web-c-dev', clusters: ['c-dev'] },
    ]);
    expect(preview.body.paramSets).toHaveLength(3);
    expect(preview.body.counts).toEqual({ paramSets: 3, create: 0, update: 3, delete: 3, unchanged: 0 });
    expect(preview.body.truncated).toBe(false);
    expect(await bundlesOf('apps')).toEqual(before);

    // The real run does exactly that.
    const at = (await hub.api('GET', '/api/v1/bundlesets/apps')).body.status.evaluatedAt;
    expect((await hub.api('PUT', '/api/v1/bundlesets/apps', { ...changed, syncPolicy: { maxDeleteFraction: 1 } })).status).toBe(200);
    await evaluated('apps', 'Evaluated', at);
    const rows = await query<{ name: string; spec: any }>(hub.database.url, "SELECT b.name, b.generated_spec AS spec FROM bundles b JOIN bundle_sets s ON s.id = b.bundle_set_id WHERE s.name = 'apps' ORDER BY b.name");
    expect(rows.map((r) => [r.name, r.spec.spec])).toEqual(preview.body.update.map((u: any) => [u.name, u.spec]));
  });
});

describe('BundleSet guards', () => {
  const listSet = (elements: unknown[], syncPolicy: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
    generators: [{ list: { elements } }, ...((extra.generators as unknown[]) ?? [])],
    template: { name: 'g-{{ .app }}', gitRepo: 'src', path: 'apps/{{ .app }}', targets: [{ clusterName: 'c-dev' }] },
    syncPolicy,
  });

  it('a generator that fails changes nothing and says where', async () => {
    expect((await hub.api('PUT', '/api/v1/bundlesets/guarded', listSet([{ app: 'web' }, { app: 'db' }]))).status).toBe(201);
    await evaluated('guarded');
    expect(await bundlesOf('guarded')).toEqual(['g-db', 'g-web']);
    const at = (await hub.api('GET', '/api/v1/bundlesets/guarded')).body.status.evaluatedAt;
    const bad = { ...listSet([]), generators: [{ gitFiles: { gitRepo: 'src', files: [{ path: 'config/bad.yaml' }] } }] };
    expect((await hub.api('PUT', '/api/v1/bundlesets/guarded', bad)).status).toBe(200);
    const failed = await evaluated('guarded', 'GeneratorFailed', at);
    expect(failed.status.where).toMatchObject({ file: 'config/bad.yaml', line: expect.any(Number) });
    expect(await bundlesOf('guarded')).toEqual(['g-db', 'g-web']);

    // A GitRepo that does not exist is an error too, never "no parameter sets".
    const missing = { ...listSet([]), generators: [{ gitDirectories: { gitRepo: 'nope', directories: [{ path: 'apps/*' }] } }] };
    expect((await hub.api('PUT', '/api/v1/bundlesets/guarded', missing)).status).toBe(200);
    await eventually(async () => expect((await hub.api('GET', '/api/v1/bundlesets/guarded')).body.status.message).toMatch(/GitRepo "nope" does not exist/));
    expect(await bundlesOf('guarded')).toEqual(['g-db', 'g-web']);
  });

  it('an empty result deletes nothing unless allowEmpty', async () => {
    const at = (await hub.api('GET', '/api/v1/bundlesets/guarded')).body.status.evaluatedAt;
    expect((await hub.api('PUT', '/api/v1/bundlesets/guarded', listSet([], { maxDeleteFraction: 1 }))).status).toBe(200);
    await evaluated('guarded', 'EmptyResult', at);
    expect(await bundlesOf('guarded')).toEqual(['g-db', 'g-web']);
  });

  it('a mass deletion waits for approval of exactly that set', async () => {
    const at = (await hub.api('GET', '/api/v1/bundlesets/guarded')).body.status.evaluatedAt;
    expect((await hub.api('PUT', '/api/v1/bundlesets/guarded', listSet([{ app: 'web' }], { maxDeleteFraction: 0.4 }))).status).toBe(200);
    const waiting = await evaluated('guarded', 'ApprovalRequired', at);
    expect(waiting.status.pendingDeletion).toEqual({ names: ['g-db'] });
    expect(await bundlesOf('guarded')).toEqual(['g-db', 'g-web']);
    expect((await hub.api('POST', '/api/v1/bundlesets/guarded/approve')).status).toBe(202);
    await eventually(async () => expect(await bundlesOf('guarded')).toEqual(['g-web']), { timeoutMs: 30_000 });
    expect((await hub.api('POST', '/api/v1/bundlesets/guarded/approve')).status).toBe(409);
  });

  it('allowEmpty lets an empty result delete', async () => {
    expect((await hub.api('PUT', '/api/v1/bundlesets/guarded', listSet([], { allowEmpty: true, maxDeleteFraction: 1 }))).status).toBe(200);
    await eventually(async () => expect(await bundlesOf('guarded')).toEqual([]), { timeoutMs: 30_000 });
  });
});

describe('BundleSet policies', () => {
  const set = (apps: string[], ns: string, bundlesSync: string) => ({
    generators: [{ list: { elements: apps.map((app) => ({ app })) } }],
    template: { name: `p-${bundlesSync}-{{ .app }}`, gitRepo: 'src', path: 'apps/{{ .app }}', namespace: ns, targets: [{ clusterName: 'c-dev' }] },
    syncPolicy: { bundlesSync, maxDeleteFraction: 1 },
  });
  const specNs = async (name: string) => (await query<{ spec: any }>(hub.database.url, 'SELECT generated_spec AS spec FROM bundles WHERE name = $1', [name]))[0]?.spec.spec.namespace;

  it.each([
    ['sync', { update: true, delete: true }],
    ['create-only', { update: false, delete: false }],
    ['create-update', { update: true, delete: false }],
    ['create-delete', { update: false, delete: true }],
  ])('%s', async (policy, allows) => {
    const name = `pol-${policy}`;
    expect((await hub.api('PUT', `/api/v1/bundlesets/${name}`, set(['web', 'db'], 'one', policy))).status).toBe(201);
    const first = await evaluated(name);
    expect(await bundlesOf(name)).toEqual([`p-${policy}-db`, `p-${policy}-web`]);
    expect((await hub.api('PUT', `/api/v1/bundlesets/${name}`, set(['web', 'api'], 'two', policy))).status).toBe(200);
    await evaluated(name, 'Evaluated', first.status.evaluatedAt);
    const names = await bundlesOf(name);
    expect(names).toContain(`p-${policy}-api`);
    expect(names.includes(`p-${policy}-db`)).toBe(!allows.delete);
    expect(await specNs(`p-${policy}-web`)).toBe(allows.update ? 'two' : 'one');
  });
});

describe('BundleSet bad input', () => {
  const base = matrixSet();
  it.each([
    ['unknown generator', { ...base, generators: [{ teleport: {} }] }, /^body\.generators\.0/],
    ['matrix of three', { ...base, generators: [{ matrix: { generators: [{ list: { elements: [] } }, { list: { elements: [] } }, { list: { elements: [] } }] } }] }, /^body\.generators\.0\.matrix\.generators/],
    ['merge without keys', { ...base, generators: [{ merge: { mergeKeys: [], generators: [{ list: { elements: [] } }, { list: { elements: [] } }] } }] }, /^body\.generators\.0\.merge\.mergeKeys/],
    ['malformed selector', { ...base, generators: [{ clusters: { selector: { matchExpressions: [{ key: 'env', operator: 'Near' }] } } }] }, /^body\.generators\.0\.clusters\.selector/],
    ['template syntax error', { ...base, template: { ...base.template, name: '{{ .cluster.name ' } }, /^body\.template\.name/],
    ['unknown template function', { ...base, template: { ...base.template, namespace: '{{ env "HOME" }}' } }, /^body\.template\.namespace/],
    ['unknown template field', { ...base, template: { ...base.template, chart: 'x' } }, /^body\.template/],
  ])('%s → 400 with the field, nothing written', async (_what, body, field) => {
    const res = await hub.api('PUT', '/api/v1/bundlesets/bad-input', body);
    expect(res.status).toBe(400);
    expect(res.body.field).toMatch(field);
    expect((await hub.api('GET', '/api/v1/bundlesets/bad-input')).status).toBe(404);
    const preview = await hub.api('POST', '/api/v1/bundlesets/preview', body);
    expect(preview.status).toBe(400);
  });
});

describe('BundleSet deletion', () => {
  it('deletes its bundles; with preserveResourcesOnDeletion they are keepResources so agents leave the workloads', async () => {
    const kept = { ...matrixSet(), syncPolicy: { preserveResourcesOnDeletion: true } };
    kept.template = { ...kept.template, name: 'kept-{{ .path.basename }}-{{ .cluster.name }}' };
    expect((await hub.api('PUT', '/api/v1/bundlesets/kept', kept)).status).toBe(201);
    await evaluated('kept');
    const options = await query<{ keep: boolean }>(
      hub.database.url,
      "SELECT (s.fleet_yaml->>'keepResources')::boolean AS keep FROM bundles b JOIN bundle_sources s ON s.id = b.source_id JOIN bundle_sets t ON t.id = b.bundle_set_id WHERE t.name = 'kept'",
    );
    expect(options.length).toBeGreaterThan(0);
    expect(options.every((o) => o.keep)).toBe(true);
    expect((await hub.api('DELETE', '/api/v1/bundlesets/kept')).status).toBe(204);
    expect(await bundlesOf('kept')).toEqual([]);
    expect((await hub.api('GET', '/api/v1/bundlesets/kept')).status).toBe(404);
  });
});

describe('flotilla bundleset preview', () => {
  const flotilla = (args: string[], token = hub.adminToken) => {
    const r = spawnSync(process.execPath, [repoPath('cli/bin/flotilla.js'), 'bundleset', 'preview', ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', FLOTILLA_HUB_URL: hub.httpUrl, FLOTILLA_TOKEN: token },
      encoding: 'utf8',
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const file = (text: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'flotilla-bundleset-'));
    const path = join(dir, 'set.yaml');
    writeFileSync(path, text);
    return { path, dispose: () => rmSync(dir, { recursive: true, force: true }) };
  };

  it('prints what a BundleSet file would create, and exits 0; a refused file exits 1 naming the field', async () => {
    const before = await bundlesOf('cli');
    const good = file(`generators:
  - list:
      elements: [{ app: web }, { app: db }]
template:
  name: cli-{{ .app }}
  gitRepo: src
  path: apps/{{ .app }}
  targets: [{ clusterName: c-dev }]
`);
    try {
      const r = flotilla([good.path]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toBe('2 parameter set(s)\ncreate  cli-web → c-dev\ncreate  cli-db → c-dev\n');
      expect(await bundlesOf('cli')).toEqual(before);
    } finally {
      good.dispose();
    }
    const bad = file('generators:\n  - teleport: {}\ntemplate: { name: x, gitRepo: src }\n');
    try {
      const r = flotilla([bad.path]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/refused it \(400\): body\.generators\.0/);
    } finally {
      bad.dispose();
    }
    const broken = file('generators: [\n');
    try {
      const r = flotilla([broken.path]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/set\.yaml:\d+: /);
    } finally {
      broken.dispose();
    }
  });
});

describe('BundleSet template patches and the per-generator empty guard', () => {
  const body = (syncPolicy: Record<string, unknown> = {}) => ({
    generators: [
      { list: { elements: [{ app: 'db' }] } },
      // Its own name and path: its sets have no .app (Argo CD's templatePatch, as data).
      { clusters: { selector: { matchLabels: { tier: 'edge' } } }, template: { name: 'edge-{{ .cluster.name }}', path: 'apps/web' } },
    ],
    template: { name: 'two-{{ .app }}', gitRepo: 'src', path: 'apps/{{ .app }}', targets: [{ clusterName: 'c-dev' }] },
    syncPolicy: { maxDeleteFraction: 1, ...syncPolicy },
  });
  const relabel = async (tier: string | null) => expect((await hub.api('PATCH', `/api/v1/clusters/${ids.get('c-dev')}`, { labels: { tier } })).status).toBe(200);

  it('applies an entry\'s template patch to its sets, and holds a run in which one entry went empty', async () => {
    await relabel('edge');
    expect((await hub.api('PUT', '/api/v1/bundlesets/two', body())).status).toBe(201);
    const first = await evaluated('two');
    expect(await bundlesOf('two')).toEqual(['edge-c-dev', 'two-db']);
    const spec = await query<{ path: string }>(hub.database.url, "SELECT generated_spec->'spec'->>'path' AS path FROM bundles WHERE name = 'edge-c-dev'");
    expect(spec[0]!.path).toBe('apps/web');

    // The clusters entry now yields nothing while the list entry still does: nothing is deleted.
    await relabel(null);
    const held = await evaluated('two', 'EmptyResult', first.status.evaluatedAt);
    expect(held.status.message).toMatch(/^generators\[1\] \(1 before\) yielded no parameter sets/);
    expect(await bundlesOf('two')).toEqual(['edge-c-dev', 'two-db']);

    // With allowEmpty it deletes.
    expect((await hub.api('PUT', '/api/v1/bundlesets/two', body({ allowEmpty: true }))).status).toBe(200);
    await eventually(async () => expect(await bundlesOf('two')).toEqual(['two-db']), { timeoutMs: 30_000 });
  });

  it('a bad template patch is a 400 naming the field', async () => {
    const bad = body();
    (bad.generators[1] as any).template = { nmae: 'x' };
    const res = await hub.api('PUT', '/api/v1/bundlesets/bad-patch', bad);
    expect(res).toMatchObject({ status: 400, body: { field: 'body.generators.1.template', message: expect.stringMatching(/nmae/) } });
    (bad.generators[1] as any).template = { name: '{{ .cluster.name ' };
    expect(await hub.api('PUT', '/api/v1/bundlesets/bad-patch', bad)).toMatchObject({ status: 400, body: { field: 'body.generators.1.template.name' } });
    expect((await hub.api('GET', '/api/v1/bundlesets/bad-patch')).status).toBe(404);
  });
});

describe('BundleSet revisions', () => {
  it('reads a tag the GitRepo never fetched, in generators and the template, and preview sees the same', async () => {
    const v1 = await repo.tag('bs-v1');
    await repo.writeFiles({ 'apps/web/web.yaml': cm('web-two'), 'apps/late/late.yaml': cm('late') });
    const head = await repo.commit('after bs-v1');
    await hub.api('POST', '/api/v1/gitrepos/src/refresh');
    await fetched(head);
    const body = {
      generators: [{ gitDirectories: { gitRepo: 'src', revision: 'bs-v1', directories: [{ path: 'apps/*' }] } }],
      template: { name: 'rev-{{ .path.basename }}', gitRepo: 'src', revision: 'bs-v1', path: '{{ .path.path }}', targets: [{ clusterName: 'c-dev' }] },
    };
    // apps/late is on main only: the bundles are the tag's directories.
    const tagged = (await repo.git('ls-tree', '-d', '--name-only', 'bs-v1', 'apps/')).split('\n').map((p) => `rev-${p.slice('apps/'.length)}`).sort();
    expect(tagged).toContain('rev-web');
    expect(tagged).not.toContain('rev-late');
    const preview = await hub.api('POST', '/api/v1/bundlesets/preview', body);
    expect(preview.body.error).toBeNull();
    expect(preview.body.create.map((c: any) => c.name).sort()).toEqual(tagged);
    expect((await hub.api('PUT', '/api/v1/bundlesets/rev', body)).status).toBe(201);
    await evaluated('rev');
    expect(await bundlesOf('rev')).toEqual(tagged);
    const rows = await query<{ commit: string; content: Buffer }>(
      hub.database.url,
      "SELECT b.generated_spec->>'commit' AS commit, s.content FROM bundles b JOIN bundle_sources s ON s.id = b.source_id WHERE b.name = 'rev-web'",
    );
    expect(rows[0]!.commit).toBe(v1);
    // The tag's web.yaml (app: web), not main's (app: web-two).
    expect(gunzipSync(rows[0]!.content).toString()).toContain(Buffer.from(cm('web')).toString('base64'));

    // A tag that does not exist stops the run and changes nothing.
    const at = (await hub.api('GET', '/api/v1/bundlesets/rev')).body.status.evaluatedAt;
    expect((await hub.api('PUT', '/api/v1/bundlesets/rev', { ...body, template: { ...body.template, revision: 'no-such-tag' } })).status).toBe(200);
    const failed = await evaluated('rev', 'SourceFailed', at);
    expect(failed.status.message).toMatch(/no-such-tag/);
    expect(await bundlesOf('rev')).toEqual(tagged);
  });
});
