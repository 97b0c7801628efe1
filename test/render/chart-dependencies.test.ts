/**
 * Chart dependencies (issue #10, fleet.yaml `helm.disableDependencyUpdate`):
 * as Fleet does, a chart whose Chart.yaml lists dependencies missing from
 * charts/ gets `helm dependency update` (the real helm), here from a Helm
 * repository served locally (`helm repo index` + an HTTP server counting
 * requests) and from a real OCI registry; the result is cached so a re-render
 * makes no request; credentials apply as for chart fetches; failures name the
 * chart, the dependency and its repository. Through the same
 * loadBundleDir → customizeForCluster → renderBundle path the hub takes.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { create } from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customizeForCluster, loadBundleDir, renderBundle, resolveToolSet, type ChartCredentials, type RenderError, type ToolSet } from '@flotilla/render';
import { toolPath } from '../clusters/index.ts';
import { writeTree } from '../support/bundle-archive.ts';
import { packageChart, startChartRepo, type ChartRepo } from '../support/chart-repo.ts';
import { startOciRegistry, type OciRegistry } from '../support/oci-registry.ts';

let helm: string;
let repo: ChartRepo;
let authRepo: ChartRepo;
let registry: OciRegistry;
let tools: ToolSet;
const dirs: string[] = [];
/** The bundle directory of the last render (the user's source tree). */
let lastSource = '';

/** A subchart with defaults the parent overrides (Helm: the parent's values under the subchart's name win). */
const cacheChart = (version: string) => ({
  name: 'kv-cache',
  version,
  files: {
    'values.yaml': 'maxMemory: 64mb\nport: 6379\n',
    'templates/cm.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-kv-cache
data:
  maxMemory: {{ .Values.maxMemory | quote }}
  port: {{ .Values.port | quote }}
  version: {{ .Chart.Version | quote }}
`,
  },
});

beforeAll(async () => {
  helm = await toolPath('helm');
  const cache = mkdtempSync(join(tmpdir(), 'flotilla-deps-cache-'));
  dirs.push(cache);
  tools = await resolveToolSet({ helm, kustomize: await toolPath('kustomize'), chartCacheDir: cache });
  repo = await startChartRepo(helm, [cacheChart('1.0.0'), cacheChart('1.2.0'), cacheChart('2.0.0')]);
  authRepo = await startChartRepo(helm, [{ name: 'private-lib', version: '0.1.0' }], { username: 'fleet', password: 's3cret' });
  registry = await startOciRegistry(await toolPath('registry'));
  const pkg = mkdtempSync(join(tmpdir(), 'flotilla-deps-pkg-'));
  dirs.push(pkg);
  registry.push(helm, packageChart(helm, pkg, 'oci-lib', '0.3.0'), 'deps');
}, 600_000);

afterAll(async () => {
  await repo?.stop();
  await authRepo?.stop();
  await registry?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function render(files: Record<string, string>, chartCredentials?: ChartCredentials) {
  const dir = writeTree(files);
  dirs.push(dir);
  lastSource = dir;
  const source = await loadBundleDir(dir, { name: 'deps' });
  const customised = customizeForCluster(source.fleetYaml, { name: 'c1', labels: {} }, { file: 'fleet.yaml' });
  if (!customised.deploy) throw new Error('not deployed');
  return (await renderBundle({ bundleName: source.name, files: source.files, options: customised.options, tools, ...(chartCredentials ? { chartCredentials } : {}) })).objects;
}

async function failure(files: Record<string, string>, chartCredentials?: ChartCredentials): Promise<RenderError> {
  const error = await render(files, chartCredentials).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect((error as Error | undefined)?.name, 'render should fail with a RenderError').toBe('RenderError');
  return error as RenderError;
}

/** A chart at the bundle root depending on `kv-cache` from `repository`. */
function shopBundle(repository: string, version = '^1.0.0', fleetYaml = 'helm:\n  releaseName: shop\n'): Record<string, string> {
  return {
    'fleet.yaml': fleetYaml,
    'Chart.yaml': `apiVersion: v2
name: shop
version: 0.1.0
dependencies:
  - name: kv-cache
    version: "${version}"
    repository: ${repository}
`,
    'values.yaml': 'kv-cache:\n  maxMemory: 256mb\n',
    'templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-shop\n',
  };
}

/** A port nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('chart dependencies from a Helm repository', () => {
  it('fetches the highest version the constraint allows; the parent overrides the subchart values; a re-render makes no request', async () => {
    const before = repo.requests.length;
    const objects = await render(shopBundle(repo.url));
    // ^1.0.0 is >=1.0.0 <2.0.0 (Helm's semver): 1.2.0. maxMemory from the parent's `kv-cache:` values, port the subchart's default.
    expect(objects).toEqual(
      expect.arrayContaining([
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'shop-shop' } },
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'shop-kv-cache' }, data: { maxMemory: '256mb', port: '6379', version: '1.2.0' } },
      ]),
    );
    expect(objects).toHaveLength(2);
    const fetched = repo.requests.slice(before);
    expect(fetched).toEqual(expect.arrayContaining(['/index.yaml', '/kv-cache-1.2.0.tgz']));
    // helm ran in the render's scratch copy: the bundle directory has no charts/ and no Chart.lock.
    expect(readdirSync(lastSource).sort()).toEqual(['Chart.yaml', 'fleet.yaml', 'templates', 'values.yaml']);

    const afterFirst = repo.requests.length;
    expect(await render(shopBundle(repo.url))).toEqual(objects);
    expect(repo.requests.slice(afterFirst), 'the second render is served from the dependency cache').toEqual([]);
  });

  it('a different constraint is a different cache entry, fetched once', async () => {
    const before = repo.requests.length;
    const objects = await render(shopBundle(repo.url, '2.0.0'));
    expect(objects).toContainEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'shop-kv-cache' }, data: { maxMemory: '256mb', port: '6379', version: '2.0.0' } });
    expect(repo.requests.slice(before)).toContain('/kv-cache-2.0.0.tgz');
  });

  it('disableDependencyUpdate: true → no request, and an error naming the chart and the missing dependency', async () => {
    const before = repo.requests.length;
    const e = await failure(shopBundle(repo.url, '1.0.0', 'helm:\n  disableDependencyUpdate: true\n'));
    expect(repo.requests.slice(before)).toEqual([]);
    expect(e.reason).toBe('ChartDependencyMissing');
    expect(e.location).toEqual({ file: 'Chart.yaml', line: 5, field: 'dependencies[0].name' });
    expect(e.message).toContain('chart "shop"');
    expect(e.message).toContain('"kv-cache"');
    expect(e.message).toContain('disableDependencyUpdate');
  });

  it('an unreachable repository (the same bundle with only the URL changed) fails naming the dependency and the repository', async () => {
    const unreachable = `http://127.0.0.1:${await closedPort()}/charts`;
    const e = await failure(shopBundle(unreachable));
    expect(e.reason).toBe('ChartFetchFailed');
    expect(e.location).toEqual({ file: 'Chart.yaml', line: 5, field: 'dependencies[0].repository' });
    expect(e.message).toContain(`dependency "kv-cache"`);
    expect(e.message).toContain(`from ${unreachable}`);
    expect(e.message).toMatch(/connection refused/);
  });

  it('a constraint no version matches fails naming the dependency and the repository', async () => {
    const e = await failure(shopBundle(repo.url, '>=9.0.0'));
    expect(e.reason).toBe('ChartFetchFailed');
    expect(e.message).toContain(`dependency "kv-cache" (version ">=9.0.0")`);
    expect(e.message).toContain(repo.url);
  });
});

describe('chart dependency credentials (the GitRepo helm credentials, as for chart fetches)', () => {
  const bundle = () => ({
    'fleet.yaml': 'helm:\n  releaseName: app\n',
    'Chart.yaml': `apiVersion: v2\nname: app\nversion: 0.1.0\ndependencies:\n  - name: private-lib\n    version: 0.1.0\n    repository: ${authRepo.url}\n`,
  });
  const auth = { username: 'fleet', password: 's3cret' };

  it('without credentials the repository refuses, and the error names it', async () => {
    const e = await failure(bundle());
    expect(e.reason).toBe('ChartFetchFailed');
    expect(e.message).toContain(authRepo.url);
    expect(e.message).toMatch(/401/);
  });

  it('credentials limited by helmRepoURLRegex to other URLs are not sent', async () => {
    const e = await failure(bundle(), { auth, urlPattern: /^https:\/\/charts\.example\.com\// });
    expect(e.reason).toBe('ChartFetchFailed');
  });

  it('credentials whose helmRepoURLRegex matches the dependency repository are used', async () => {
    const objects = await render(bundle(), { auth, urlPattern: /^http:\/\/127\.0\.0\.1:/ });
    expect(objects).toContainEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'private-lib' }, data: { v: '0.1.0' } });
  });
});

describe('chart dependencies from an OCI registry', () => {
  it('pulls an oci:// dependency at its version', async () => {
    const files = {
      'fleet.yaml': 'helm:\n  releaseName: api\n',
      'Chart.yaml': `apiVersion: v2\nname: api\nversion: 0.1.0\ndependencies:\n  - name: oci-lib\n    version: 0.3.0\n    repository: oci://${registry.host}/deps\n`,
    };
    expect(await render(files)).toEqual([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'oci-lib' }, data: { v: '0.3.0' } }]);
  });
});

describe('a fetched chart whose dependencies are not in its archive', () => {
  it('gets them fetched in a copy (Fleet updates the dependencies of remote charts too)', async () => {
    // helm package refuses a chart with missing dependencies, so the archive is written with tar.
    const src = mkdtempSync(join(tmpdir(), 'flotilla-umbrella-'));
    dirs.push(src);
    mkdirSync(join(src, 'umbrella', 'templates'), { recursive: true });
    writeFileSync(join(src, 'umbrella', 'Chart.yaml'), `apiVersion: v2\nname: umbrella\nversion: 0.5.0\ndependencies:\n  - name: kv-cache\n    version: 1.0.0\n    repository: ${repo.url}\n`);
    writeFileSync(join(src, 'umbrella', 'values.yaml'), 'kv-cache:\n  port: 7000\n');
    await create({ gzip: true, cwd: src, portable: true, file: join(repo.dir, 'umbrella-0.5.0.tgz') }, ['umbrella']);
    execFileSync(helm, ['repo', 'index', repo.dir, '--url', repo.url], { stdio: 'pipe' });

    const files = { 'fleet.yaml': `helm:\n  repo: ${repo.url}\n  chart: umbrella\n  version: 0.5.0\n  releaseName: u\n` };
    expect(await render(files)).toEqual([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'u-kv-cache' }, data: { maxMemory: '64mb', port: '7000', version: '1.0.0' } }]);
    // The shared chart cache keeps the archive as fetched: no charts/ written into it.
    const unpacked = readdirSync(join(tools.chartCacheDir, 'charts'), { recursive: true }).map(String);
    expect(unpacked.filter((p) => p.includes('umbrella') && p.includes('charts/'))).toEqual([]);
  });
});

describe('file:// dependencies and the cache', () => {
  it('an edited file:// subchart is packaged again (its tree is in the cache key), with no network', async () => {
    const bundle = (color: string) => ({
      'fleet.yaml': 'helm:\n  chart: app\n  releaseName: paint\n',
      'app/Chart.yaml': 'apiVersion: v2\nname: app\nversion: 0.1.0\ndependencies:\n  - name: lib\n    version: 1.0.0\n    repository: file://../lib\n',
      'lib/Chart.yaml': 'apiVersion: v2\nname: lib\nversion: 1.0.0\n',
      'lib/values.yaml': `color: ${color}\n`,
      'lib/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-lib\ndata:\n  color: {{ .Values.color }}\n',
    });
    const cm = (color: string) => [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'paint-lib' }, data: { color } }];
    expect(await render(bundle('red'))).toEqual(cm('red'));
    expect(await render(bundle('blue'))).toEqual(cm('blue'));
    expect(await render(bundle('red'))).toEqual(cm('red'));
  });

  it("a file:// subchart's own missing dependencies are fetched first (Fleet updates every chart directory)", async () => {
    const objects = await render({
      'fleet.yaml': 'helm:\n  chart: app\n  releaseName: nest\n',
      'app/Chart.yaml': 'apiVersion: v2\nname: app\nversion: 0.1.0\ndependencies:\n  - name: lib\n    version: 1.0.0\n    repository: file://../lib\n',
      'lib/Chart.yaml': `apiVersion: v2\nname: lib\nversion: 1.0.0\ndependencies:\n  - name: kv-cache\n    version: "^1.0.0"\n    repository: ${repo.url}\n`,
      'lib/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-lib\n',
    });
    expect(objects).toEqual(
      expect.arrayContaining([
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'nest-lib' } },
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'nest-kv-cache' }, data: { maxMemory: '64mb', port: '6379', version: '1.2.0' } },
      ]),
    );
    expect(objects).toHaveLength(2);
    // Fetched in the render's scratch copy: the subchart in the bundle directory stays as it was.
    expect(readdirSync(join(lastSource, 'lib')).sort()).toEqual(['Chart.yaml', 'templates']);
  });

  it('file:// subcharts that depend on each other fail naming the dependency, file and line', async () => {
    const error = await failure({
      'fleet.yaml': 'helm:\n  chart: app\n',
      'app/Chart.yaml': 'apiVersion: v2\nname: app\nversion: 0.1.0\ndependencies:\n  - name: lib\n    version: 1.0.0\n    repository: file://../lib\n',
      'lib/Chart.yaml': 'apiVersion: v2\nname: lib\nversion: 1.0.0\ndependencies:\n  - name: app\n    version: 0.1.0\n    repository: file://../app\n  - name: kv-cache\n    version: "^1.0.0"\n    repository: http://127.0.0.1:1/never\n',
    });
    expect(error).toMatchObject({ reason: 'InvalidBundle', location: { file: 'lib/Chart.yaml', line: 5, field: 'dependencies[0].repository' } });
    expect(error.message).toContain('dependency "app" (file://../app) is one of the charts that depend on it (a file:// cycle)');
  });
});
