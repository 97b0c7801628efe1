/**
 * fetchChart against real helm, a real HTTP chart repository and a real OCI registry.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { create } from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchChart, type ChartFetchContext, type ToolSet } from '../../render/src/index.js';
import { toolPath } from '../clusters/index.ts';
import { packageChart, startChartRepo, type ChartRepo } from '../support/chart-repo.ts';
import { startOciRegistry, type OciRegistry } from '../support/oci-registry.ts';

let helm: string;
let tmp: string;
let repo: ChartRepo;
let authRepo: ChartRepo;
let registry: OciRegistry;

function ctx(overrides: Partial<ToolSet['limits']> = {}, auth?: ChartFetchContext['auth']): ChartFetchContext {
  const cacheDir = fs.mkdtempSync(path.join(tmp, 'cache-'));
  return {
    tools: { helm, kustomize: '/nonexistent', chartCacheDir: cacheDir, limits: { timeoutMs: 30_000, maxOutputBytes: 16 * 1024 * 1024, ...overrides } },
    ...(auth ? { auth } : {}),
  };
}

beforeAll(async () => {
  helm = await toolPath('helm');
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-chart-fetch-'));
  repo = await startChartRepo(helm, [
    { name: 'demo', version: '1.0.0' },
    { name: 'demo', version: '1.2.0' },
    { name: 'demo', version: '1.2.5' },
    { name: 'demo', version: '2.0.0' },
    { name: 'demo', version: '2.1.0-rc.1' },
  ]);
  authRepo = await startChartRepo(helm, [{ name: 'secret', version: '0.1.0' }], { username: 'fleet', password: 's3cret' });
  registry = await startOciRegistry(await toolPath('registry'));
  const pkgDir = fs.mkdtempSync(path.join(tmp, 'pkg-'));
  registry.push(helm, packageChart(helm, pkgDir, 'ocidemo', '0.3.0'));
}, 600_000);

afterAll(async () => {
  await repo?.stop();
  await authRepo?.stop();
  await registry?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('fetchChart from a Helm repository', () => {
  it('fetches an exact version and unpacks it', async () => {
    const chart = await fetchChart({ repo: repo.url, chart: 'demo', version: '1.2.0' }, ctx());
    expect(chart).toMatchObject({ name: 'demo', version: '1.2.0' });
    expect(chart.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(fs.readFileSync(path.join(chart.path, 'Chart.yaml'), 'utf8')).toContain('version: 1.2.0');
  });

  it.each([
    ['~1.2', '1.2.5'],
    ['^1.0', '1.2.5'],
    ['>=1.0 <2.0', '1.2.5'],
    ['>= 1.0, < 1.2.5', '1.2.0'],
    ['1.2.x', '1.2.5'],
    ['', '2.0.0'],
    ['*', '2.0.0'],
  ])('constraint %j picks the highest match %s', async (version, expected) => {
    const chart = await fetchChart({ repo: repo.url, chart: 'demo', version }, ctx());
    expect(chart.version).toBe(expected);
  });

  it('names the constraint and the available versions when none matches', async () => {
    await expect(fetchChart({ repo: repo.url, chart: 'demo', version: '>=3.0' }, ctx())).rejects.toThrow(
      /helm\.version: no version matches constraint ">=3\.0" for chart "demo" in .*; available: 2\.1\.0-rc\.1, 2\.0\.0, 1\.2\.5, 1\.2\.0, 1\.0\.0/,
    );
  });

  it('needs the credentials of a repository with basic auth, and uses them when given', async () => {
    await expect(fetchChart({ repo: authRepo.url, chart: 'secret', version: '0.1.0' }, ctx())).rejects.toThrow(/HTTP 401 from .*index\.yaml \(credentials required\)/);
    const err = await fetchChart({ repo: authRepo.url, chart: 'secret' }, ctx({}, { username: 'fleet', password: 'wrong' })).catch((e: Error) => e);
    expect(String(err)).toMatch(/credentials rejected/);
    expect(String(err)).not.toContain('wrong');
    const chart = await fetchChart({ repo: authRepo.url, chart: 'secret', version: '0.1.0' }, ctx({}, { username: 'fleet', password: 's3cret' }));
    expect(chart.name).toBe('secret');
  });

  it('reports a 404 with the URL', async () => {
    await expect(fetchChart({ repo: `${repo.url}/nothere`, chart: 'demo' }, ctx())).rejects.toThrow(
      new RegExp(`helm\\.repo: HTTP 404 from ${repo.url}/nothere/index\\.yaml`),
    );
  });
});

describe('fetchChart from a .tgz URL and an OCI registry', () => {
  it('downloads a .tgz URL', async () => {
    const chart = await fetchChart({ chart: `${repo.url}/demo-1.0.0.tgz` }, ctx());
    expect(chart).toMatchObject({ name: 'demo', version: '1.0.0' });
  });

  it('pulls an oci:// chart with helm (plain HTTP registry)', async () => {
    const chart = await fetchChart({ chart: `oci://${registry.host}/charts/ocidemo`, version: '0.3.0' }, ctx({}, { plainHttp: true }));
    expect(chart).toMatchObject({ name: 'ocidemo', version: '0.3.0' });
    expect(fs.existsSync(path.join(chart.path, 'templates', 'cm.yaml'))).toBe(true);
  });

  it('pulls repo: oci://… + chart name', async () => {
    const chart = await fetchChart({ repo: `oci://${registry.host}/charts`, chart: 'ocidemo', version: '0.3.0' }, ctx({}, { plainHttp: true }));
    expect(chart.version).toBe('0.3.0');
  });
});

describe('fetchChart cache and bounds', () => {
  it('serves a second fetch of the same exact version from the cache without a request', async () => {
    const own = await startChartRepo(helm, [{ name: 'cached', version: '1.0.0' }]);
    const c = ctx();
    const first = await fetchChart({ repo: own.url, chart: 'cached', version: '1.0.0' }, c);
    await own.stop();
    const second = await fetchChart({ repo: own.url, chart: 'cached', version: '1.0.0' }, c);
    expect(second).toEqual(first);
  });

  it('refuses a tarball with a ../ path', async () => {
    const src = fs.mkdtempSync(path.join(tmp, 'evil-'));
    fs.mkdirSync(path.join(src, 'evil'));
    fs.writeFileSync(path.join(src, 'evil', 'Chart.yaml'), 'apiVersion: v2\nname: evil\nversion: 1.0.0\n');
    fs.writeFileSync(path.join(src, 'escape.txt'), 'owned');
    const tgz = path.join(src, 'evil.tgz');
    // tar's `preservePaths` keeps the `../` in the entry name.
    await create({ gzip: true, file: tgz, cwd: path.join(src, 'evil'), preservePaths: true }, ['Chart.yaml', '../escape.txt']);
    const server = http.createServer((_req, res) => res.end(fs.readFileSync(tgz)));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/evil.tgz`;
    const c = ctx();
    try {
      await expect(fetchChart({ chart: url }, c)).rejects.toThrow(/not a chart archive: entry "\.\.\/escape\.txt" escapes the archive/);
      expect(fs.existsSync(path.join(c.tools.chartCacheDir, '..', 'escape.txt'))).toBe(false);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('refuses a download larger than the bound', async () => {
    await expect(fetchChart({ chart: `${repo.url}/demo-1.0.0.tgz` }, ctx({ maxOutputBytes: 100 }))).rejects.toThrow(/is larger than 100 bytes/);
  });

  it('refuses a file that is not a chart archive', async () => {
    await expect(fetchChart({ chart: `${repo.url}/index.yaml` }, ctx())).rejects.toThrow(/not a chart archive/);
  });
});
