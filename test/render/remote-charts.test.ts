/**
 * A bundle whose fleet.yaml names a chart outside the bundle renders like a
 * local one (issue #10): `helm.repo` + `helm.version` as a semver constraint
 * against a Helm repository served locally (`helm package` + `helm repo index`),
 * and an `oci://` chart from a real CNCF distribution registry — per cluster,
 * through the same loadBundleDir → customizeForCluster → renderBundle path the
 * hub and `flotilla render` take.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customizeForCluster, loadBundleDir, renderBundle, resolveToolSet, type ClusterContext, type ToolSet } from '@flotilla/render';
import { toolPath } from '../clusters/index.ts';
import { writeTree } from '../support/bundle-archive.ts';
import { packageChart, startChartRepo, type ChartRepo } from '../support/chart-repo.ts';
import { startOciRegistry, type OciRegistry } from '../support/oci-registry.ts';

let repo: ChartRepo;
let registry: OciRegistry;
let tools: ToolSet;
const dirs: string[] = [];

beforeAll(async () => {
  const helm = await toolPath('helm');
  const cache = mkdtempSync(join(tmpdir(), 'flotilla-chart-cache-'));
  dirs.push(cache);
  tools = await resolveToolSet({ helm, kustomize: await toolPath('kustomize'), chartCacheDir: cache });
  repo = await startChartRepo(helm, [
    { name: 'web', version: '1.0.0' },
    { name: 'web', version: '1.4.2' },
    { name: 'web', version: '2.0.0' },
  ]);
  registry = await startOciRegistry(await toolPath('registry'));
  const pkg = mkdtempSync(join(tmpdir(), 'flotilla-oci-pkg-'));
  dirs.push(pkg);
  registry.push(helm, packageChart(helm, pkg, 'api', '0.3.0'));
  registry.push(helm, packageChart(helm, pkg, 'api', '0.4.0'));
}, 600_000);

afterAll(async () => {
  await repo?.stop();
  await registry?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const cluster = (env: string): ClusterContext => ({ name: `c-${env}`, labels: { env } });

async function render(files: Record<string, string>, c: ClusterContext) {
  const dir = writeTree(files);
  dirs.push(dir);
  const source = await loadBundleDir(dir, { name: 'remote' });
  const customised = customizeForCluster(source.fleetYaml, c, { file: 'fleet.yaml' });
  if (!customised.deploy) throw new Error('not deployed');
  return (await renderBundle({ bundleName: source.name, files: source.files, options: customised.options, tools })).objects;
}

describe('charts from outside the bundle', () => {
  it('takes the highest version a constraint allows from a Helm repository, per cluster', async () => {
    // Helm's (Masterminds) semantics: ^1.0.0 is >=1.0.0 <2.0.0; the prod customisation pins 1.0.0.
    const files = {
      'fleet.yaml': `helm:
  repo: ${repo.url}
  chart: web
  version: ^1.0.0
targetCustomizations:
  - name: prod
    clusterSelector: { matchLabels: { env: prod } }
    helm: { version: 1.0.0 }
`,
    };
    expect(await render(files, cluster('dev'))).toEqual([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web' }, data: { v: '1.4.2' } }]);
    expect(await render(files, cluster('prod'))).toEqual([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web' }, data: { v: '1.0.0' } }]);
  });

  it('pulls an oci:// chart at the version fleet.yaml names', async () => {
    const files = { 'fleet.yaml': `helm:\n  chart: oci://${registry.host}/charts/api\n  version: 0.3.0\n` };
    expect(await render(files, cluster('dev'))).toEqual([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'api' }, data: { v: '0.3.0' } }]);
  });

  it('fails with the constraint and the versions there are when none matches', async () => {
    const files = { 'fleet.yaml': `helm:\n  repo: ${repo.url}\n  chart: web\n  version: ">=3.0.0"\n` };
    await expect(render(files, cluster('dev'))).rejects.toMatchObject({ reason: 'ChartFetchFailed', message: expect.stringMatching(/>=3\.0\.0.*2\.0\.0, 1\.4\.2, 1\.0\.0/s) });
  });
});
