/**
 * The pinned CLIs from the cache work and report their pinned versions, and
 * kubectl talks to a harness cluster with its kubeconfig.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_TOOLS, ensureTools, startCluster, toolPath, toolVersions, type Cluster } from './index.ts';

const run = promisify(execFile);
const versions = toolVersions();

describe('pinned tools', () => {
  let cluster: Cluster | undefined;
  let tmp: string;

  beforeAll(async () => {
    await ensureTools(ALL_TOOLS);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-tools-test-'));
  }, 60 * 60_000);

  afterAll(async () => {
    await cluster?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('kubectl talks to a cluster, which reports the pinned Kubernetes version', async () => {
    cluster = await startCluster();
    const kubectl = await toolPath('kubectl');
    const { stdout } = await run(kubectl, ['--kubeconfig', cluster.kubeconfigPath, 'version', '-o', 'json']);
    const v = JSON.parse(stdout) as { clientVersion: { gitVersion: string }; serverVersion: { gitVersion: string; minor: string } };
    expect(v.clientVersion.gitVersion).toBe(versions.kubectl);
    expect(v.serverVersion.gitVersion).toBe(versions['kube-apiserver']);
    const ns = await run(kubectl, ['--kubeconfig', cluster.kubeconfigPath, 'get', 'namespace', 'kube-system', '-o', 'name']);
    expect(ns.stdout.trim()).toBe('namespace/kube-system');
  }, 120_000);

  it('helm renders a chart', async () => {
    const helm = await toolPath('helm');
    const { stdout: version } = await run(helm, ['version', '--short']);
    expect(version).toContain(versions.helm);
    const chart = path.join(tmp, 'chart');
    fs.mkdirSync(path.join(chart, 'templates'), { recursive: true });
    fs.writeFileSync(path.join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: demo\nversion: 0.1.0\n');
    fs.writeFileSync(
      path.join(chart, 'templates', 'cm.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n  kube: {{ .Capabilities.KubeVersion.Version | quote }}\n',
    );
    const { stdout } = await run(helm, ['template', 'rel', chart]);
    expect(stdout).toContain('name: rel');
    // helm's default KubeVersion is stamped at build time from its client-go (v0.37 -> 1.37).
    expect(stdout).toMatch(/kube: "v1\.37\./);
  });

  it('kustomize builds a kustomization', async () => {
    const kustomize = await toolPath('kustomize');
    const dir = path.join(tmp, 'kust');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: base\n');
    fs.writeFileSync(path.join(dir, 'kustomization.yaml'), 'resources:\n- cm.yaml\nnamePrefix: demo-\n');
    const { stdout } = await run(kustomize, ['build', dir]);
    expect(stdout).toContain('name: demo-base');
  });
});
