/**
 * Bad input fails with the right reason and points at the file and line;
 * a hanging tool is killed at its time limit; oversized output is refused.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderFiles, type BundleFile, type DeploymentOptions, type RenderError, type ToolSet } from '@flotilla/render';
import { ensureTools } from '../clusters/index.ts';
import { harnessTools, workDirWith } from './render-fixture.support.ts';

/** Alive and not a zombie (an orphan's zombie waits for PID 1 to reap it). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
}

const file = (p: string, text: string): BundleFile => ({ path: p, content: new TextEncoder().encode(text) });

describe('render errors', () => {
  let tools: ToolSet;
  const dirs: string[] = [];
  beforeAll(async () => {
    await ensureTools(['helm', 'kustomize']);
    tools = await harnessTools();
  }, 60 * 60_000);
  afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  async function failure(files: BundleFile[], options: DeploymentOptions = {}, withTools: ToolSet = tools): Promise<RenderError> {
    const workDir = workDirWith(files);
    dirs.push(workDir);
    const error = await renderFiles({ bundleName: 'bad', files, options, workDir, tools: withTools }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error, 'render should fail').toBeDefined();
    expect((error as Error).name).toBe('RenderError');
    return error as RenderError;
  }

  const chart = [file('Chart.yaml', 'apiVersion: v2\nname: demo\nversion: 0.1.0\n')];

  it('malformed raw YAML: InvalidManifest at the bundle file and line', async () => {
    const e = await failure([file('ok.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n'), file('sub/bad.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a: b\n')]);
    expect(e.reason).toBe('InvalidManifest');
    expect(e.location.file).toBe('sub/bad.yaml');
    expect(e.location.line).toBe(4);
  });

  it('the same object in two raw files: InvalidManifest naming the second', async () => {
    const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: same\n';
    const e = await failure([file('a.yaml', cm), file('b.yaml', cm)]);
    expect(e.reason).toBe('InvalidManifest');
    expect(e.location.file).toBe('b.yaml');
    expect(e.message).toContain('a.yaml');
  });

  it('a chart template error: HelmFailed at the template and line', async () => {
    const e = await failure([...chart, file('templates/cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ required "x is required" .Values.x }}\n')]);
    expect(e.reason).toBe('HelmFailed');
    expect(e.message).toContain('x is required');
    expect(e.location).toMatchObject({ file: 'templates/cm.yaml', line: 4 });
  });

  it('a template error in a chart in a subdirectory names the file in the bundle', async () => {
    const files = [file('charts/app/Chart.yaml', 'apiVersion: v2\nname: demo\nversion: 0.1.0\n'), file('charts/app/templates/cm.yaml', 'x: {{ .Values.a.b.c }}\n')];
    const e = await failure(files, { helm: { chart: 'charts/app' } });
    expect(e.reason).toBe('HelmFailed');
    expect(e.location).toMatchObject({ file: 'charts/app/templates/cm.yaml', line: 1 });
  });

  it('a missing values file: HelmFailed naming it', async () => {
    const e = await failure([...chart], { helm: { valuesFiles: ['env/missing.yaml'] } });
    expect(e.reason).toBe('HelmFailed');
    expect(e.location.file).toBe('env/missing.yaml');
  });

  it('a kustomization referencing a missing file: KustomizeFailed naming it', async () => {
    const e = await failure([file('kustomization.yaml', 'resources:\n  - missing.yaml\n')]);
    expect(e.reason).toBe('KustomizeFailed');
    expect(e.location.file).toBe('missing.yaml');
  });

  it('a _patch file whose target is missing: OverlayFailed naming both files', async () => {
    const e = await failure([file('cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n'), file('overlays/x/gone_patch.yaml', 'data: {}\n')], { yaml: { overlays: ['x'] } });
    expect(e.reason).toBe('OverlayFailed');
    expect(e.location.file).toBe('overlays/x/gone_patch.yaml');
    expect(e.message).toContain('gone.yaml');
  });

  it('a helm that hangs is killed at the time limit: ToolTimeout', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-fake-helm-'));
    dirs.push(dir);
    const pids = path.join(dir, 'pids');
    const fake = path.join(dir, 'helm');
    // The shell and its child sleep both record their pids: the whole group must die.
    fs.writeFileSync(fake, `#!/bin/sh\necho $$ >> ${pids}\nsleep 30 &\necho $! >> ${pids}\nwait\n`, { mode: 0o755 });
    const started = Date.now();
    const e = await failure([...chart, file('templates/cm.yaml', 'a: b\n')], {}, { ...tools, helm: fake, limits: { ...tools.limits, timeoutMs: 1000 } });
    expect(e.reason).toBe('ToolTimeout');
    expect(e.message).toContain('1000 ms');
    expect(Date.now() - started).toBeLessThan(10_000);
    const recorded = fs.readFileSync(pids, 'utf8').trim().split('\n').map(Number);
    expect(recorded).toHaveLength(2);
    for (const pid of recorded) expect(isRunning(pid), `pid ${pid} still running`).toBe(false);
  });

  it('output over maxOutputBytes: OutputTooLarge', async () => {
    const big = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  x: {{ repeat 5000 "a" | quote }}\n`;
    const e = await failure([...chart, file('templates/cm.yaml', big)], {}, { ...tools, limits: { ...tools.limits, maxOutputBytes: 1024 } });
    expect(e.reason).toBe('OutputTooLarge');
    expect(e.message).toContain('1024');
  });

  it('a missing binary: ToolMissing naming the tool and how to configure it', async () => {
    const e = await failure([file('kustomization.yaml', 'resources: []\n')], {}, { ...tools, kustomize: '/nonexistent/kustomize' });
    expect(e.reason).toBe('ToolMissing');
    expect(e.message).toContain('FLOTILLA_KUSTOMIZE');
  });
});
