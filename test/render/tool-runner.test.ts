/**
 * runTool on fake tools, started from this process and through a ToolHost (the hub's): an abort kills the
 * process group; the environment is minimal; bounds and failures are the same either way.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RenderError, runTool as runToolHere, ToolHost, type RunToolOptions } from '@flotilla/render';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-tool-runner-'));
const limits = { timeoutMs: 10_000, maxOutputBytes: 1024 * 1024 };
function fakeTool(name: string, script: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, `#!/bin/sh\n${script}\n`, { mode: 0o755 });
  return file;
}

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const host = new ToolHost();
afterAll(() => host.close());

describe.each([
  ['from this process', runToolHere],
  ['through a ToolHost', (tool: 'helm' | 'kustomize', bin: string, args: string[], opts: RunToolOptions) => runToolHere(tool, bin, args, { ...opts, exec: host.exec })],
])('runTool %s', (how, runTool) => {
  it('an abort kills the tool and rejects with the signal reason', async () => {
    const marker = path.join(dir, `survived-${how.replace(/ /g, '-')}`);
    const bin = fakeTool(`slow-helm-${how.length}`, `sleep 1; touch ${marker}; sleep 30`);
    const controller = new AbortController();
    const started = Date.now();
    const run = runTool('helm', bin, ['template'], { cwd: dir, limits, signal: controller.signal });
    setTimeout(() => controller.abort(new Error('cancelled by test')), 200);
    await expect(run).rejects.toThrow('cancelled by test');
    expect(Date.now() - started).toBeLessThan(5000);
    await new Promise((r) => setTimeout(r, 1500));
    expect(fs.existsSync(marker)).toBe(false); // killed, not merely forgotten
  });

  it('runs with PATH, HOME and Helm homes under cwd, and nothing else from the parent', async () => {
    process.env.HTTPS_PROXY = 'http://proxy.invalid:3128';
    try {
      const bin = fakeTool('env-helm', 'env');
      const { stdout } = await runTool('helm', bin, [], { cwd: dir, limits });
      const env = Object.fromEntries(stdout.toString().trim().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
      expect(env.HOME).toBe(path.join(dir, '.home'));
      expect(env.HELM_CONFIG_HOME?.startsWith(path.join(dir, '.home'))).toBe(true);
      expect(env.HTTPS_PROXY).toBeUndefined();
      expect(env.PATH).toBe(process.env.PATH);
    } finally {
      delete process.env.HTTPS_PROXY;
    }
  });

  it('a non-zero exit is HelmFailed with the trimmed stderr', async () => {
    const bin = fakeTool('failing-helm', 'echo "Error: template: demo/templates/x.yaml:2:3: boom" >&2; exit 1');
    await expect(runTool('helm', bin, ['template'], { cwd: dir, limits })).rejects.toMatchObject({ reason: 'HelmFailed', message: expect.stringContaining('boom') });
  });

  it('explain turns a failed run (exit code, stdout and stderr) into its own error, or leaves the default', async () => {
    const bin = fakeTool('explained-helm', 'echo "...Unable to get an update"; echo "Error: vague" >&2; exit 2');
    const explain = (run: { code: number | null; stdout: string; stderr: string }) =>
      run.stdout.includes('Unable') ? new RenderError('ChartFetchFailed', `code ${run.code}: ${run.stdout.trim()} / ${run.stderr.trim()}`) : undefined;
    await expect(runTool('helm', bin, ['dependency'], { cwd: dir, limits, explain })).rejects.toMatchObject({
      reason: 'ChartFetchFailed',
      message: 'code 2: ...Unable to get an update / Error: vague',
    });
    await expect(runTool('helm', bin, ['dependency'], { cwd: dir, limits, explain: () => undefined })).rejects.toMatchObject({ reason: 'HelmFailed', message: expect.stringContaining('vague') });
  });
});

describe('ToolHost', () => {
  it('bounds a run by time and output, and names a missing binary, as runTool from this process does', async () => {
    const opts = { cwd: dir, exec: host.exec };
    await expect(runToolHere('helm', fakeTool('hung-helm', 'sleep 30'), [], { ...opts, limits: { ...limits, timeoutMs: 300 } })).rejects.toMatchObject({ reason: 'ToolTimeout' });
    await expect(runToolHere('helm', fakeTool('loud-helm', 'head -c 5000 /dev/zero'), [], { ...opts, limits: { ...limits, maxOutputBytes: 1000 } })).rejects.toMatchObject({ reason: 'OutputTooLarge' });
    await expect(runToolHere('kustomize', path.join(dir, 'no-such-kustomize'), [], { ...opts, limits })).rejects.toMatchObject({ reason: 'ToolMissing', message: expect.stringContaining('FLOTILLA_KUSTOMIZE') });
  });

  it('a host that dies fails its runs with a plain error, and the next run starts a new host', async () => {
    const own = new ToolHost();
    try {
      const pidFile = path.join(dir, 'host-pid');
      // The tool kills its parent, the host.
      const run = runToolHere('helm', fakeTool('parent-killer', `echo $PPID > ${pidFile}; kill -9 $PPID; sleep 5`), [], { cwd: dir, limits, exec: own.exec });
      await expect(run).rejects.toThrow(/the tool host exited \(SIGKILL\)/);
      await expect(run).rejects.not.toBeInstanceOf(RenderError);
      const { stdout } = await runToolHere('helm', fakeTool('echo-helm', 'echo again'), [], { cwd: dir, limits, exec: own.exec });
      expect(stdout.toString()).toBe('again\n');
    } finally {
      own.close();
    }
  });
});
