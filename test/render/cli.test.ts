/**
 * `flotilla render` and `flotilla bundles` as a user runs them (issue #10):
 * the built CLI in a child process, real helm and kustomize, objects on
 * stdout only, errors on stderr with file and line and a non-zero exit.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { toolPath } from '../clusters/index.ts';
import { writeTree } from '../support/bundle-archive.ts';
import { repoPath } from '../support/paths.ts';

const BIN = repoPath('cli/bin/flotilla.js');
let env: Record<string, string>;
const trees: string[] = [];

beforeAll(async () => {
  env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', FLOTILLA_HELM: await toolPath('helm'), FLOTILLA_KUSTOMIZE: await toolPath('kustomize') };
}, 600_000);
afterAll(() => {
  for (const t of trees) rmSync(t, { recursive: true, force: true });
});

function tree(files: Record<string, string>): string {
  const dir = writeTree(files);
  trees.push(dir);
  return dir;
}

function flotilla(args: string[], node = process.execPath): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(node, [BIN, ...args], { env, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const objects = (stdout: string) => parseAllDocuments(stdout).map((d) => d.toJS());

const overlayBundle = {
  'fleet.yaml': `defaultNamespace: web
targetCustomizations:
  - name: prod
    clusterSelector:
      matchLabels: { env: prod }
    yaml:
      overlays: [prod]
  - name: lab
    clusterName: lab-1
    doNotDeploy: true
`,
  'deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 1\n',
  'overlays/prod/deployment_patch.yaml': 'spec:\n  replicas: 3\n',
  'overlays/prod/extra.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: prod-only\n',
};

describe('flotilla render', () => {
  it('prints the objects a cluster with these labels receives', () => {
    const dir = tree(overlayBundle);
    const prod = flotilla(['render', dir, '-l', 'env=prod']);
    expect(prod.stderr).toBe('');
    expect(prod.code).toBe(0);
    // Fleet's yaml.overlays: deployment_patch.yaml patches deployment.yaml, extra.yaml is added.
    expect(objects(prod.stdout)).toEqual([
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 3 } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'prod-only' } },
    ]);
    const dev = flotilla(['render', dir, '-l', 'env=dev']);
    expect(dev.code).toBe(0);
    expect(objects(dev.stdout)).toEqual([{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 1 } }]);
  });

  it('prints nothing for a cluster a targetCustomization marks doNotDeploy', () => {
    const r = flotilla(['render', tree(overlayBundle), '--cluster-name', 'lab-1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/not deployed/);
  });

  it('renders a Helm chart with templated values and the bundle name as release name', () => {
    const dir = tree({
      'fleet.yaml': 'helm:\n  values:\n    region: "${ .ClusterLabels.region }"\n    owner: "${ .ClusterName }"\n',
      'Chart.yaml': 'apiVersion: v2\nname: app\nversion: 0.1.0\n',
      'templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n  region: {{ .Values.region }}\n  owner: {{ .Values.owner }}\n',
    });
    const r = flotilla(['render', dir, '--name', 'shop', '-l', 'region=eu', '--cluster-name', 'edge-7']);
    expect(r.stderr).toBe('');
    expect(objects(r.stdout)).toEqual([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'shop' }, data: { region: 'eu', owner: 'edge-7' } }]);
  });

  it('names file and line of a malformed fleet.yaml, prints no objects and exits 1', () => {
    const r = flotilla(['render', tree({ 'fleet.yaml': 'defaultNamespace: web\ntargetCustomizations: {}\n', 'cm.yaml': 'kind: ConfigMap\n' })]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/fleet\.yaml:2/);
    expect(r.stderr).toMatch(/targetCustomizations/);
  });

  it('fails for a cluster that lacks a label a template reads, naming the key', () => {
    const dir = tree({
      'fleet.yaml': 'helm:\n  values:\n    region: "${ .ClusterLabels.region }"\n',
      'Chart.yaml': 'apiVersion: v2\nname: app\nversion: 0.1.0\n',
      'templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n',
    });
    const r = flotilla(['render', dir, '-l', 'env=prod']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/region/);
    expect(r.stderr).toMatch(/TemplateFailed/);
  });

  it('rejects a bad command line with exit 2 and says how to get help', () => {
    const r = flotilla(['render', '-l', 'not a label', tree(overlayBundle)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--label "not a label"/);
    expect(r.stderr).toMatch(/flotilla render --help/);
  });

  it('has --help on every command', () => {
    for (const args of [['--help'], ['render', '--help'], ['bundles', '--help']]) {
      const r = flotilla(args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout).toMatch(/^Usage: flotilla/);
    }
  });

  it("runs on the machine's own Node (20), as `npx flotilla` in a fresh shell does", () => {
    const system = '/usr/bin/node';
    if (!existsSync(system)) return;
    const r = flotilla(['render', tree(overlayBundle), '-l', 'env=prod'], system);
    expect(r.stderr).toBe('');
    expect(objects(r.stdout)).toHaveLength(2);
  });
});

describe('flotilla bundles', () => {
  it('lists what discovery finds, with kind and path', () => {
    const dir = tree({
      'apps/web/fleet.yaml': 'defaultNamespace: web\n',
      'apps/web/deploy.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n',
      'apps/db/Chart.yaml': 'apiVersion: v2\nname: db\nversion: 0.1.0\n',
      'apps/db/fleet.yaml': '{}\n',
      'apps/cache/kustomization.yaml': 'resources: [cm.yaml]\n',
      'apps/cache/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cache\n',
      'apps/cache/fleet.yaml': '{}\n',
    });
    const r = flotilla(['bundles', dir, '--path', 'apps/*', '--name-prefix', 'shop', '-o', 'json']);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual([
      { name: 'shop-apps-cache', kind: 'kustomize', path: 'apps/cache' },
      { name: 'shop-apps-db', kind: 'helm', path: 'apps/db' },
      { name: 'shop-apps-web', kind: 'raw', path: 'apps/web' },
    ]);
  });

  it('prefixes names with the directory\'s name by default, as Fleet prefixes them with the GitRepo\'s', () => {
    const dir = tree({ 'shop/web/fleet.yaml': '{}\n', 'shop/web/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n' });
    const r = flotilla(['bundles', join(dir, 'shop')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('shop-web\traw\tweb\n');
  });
});
