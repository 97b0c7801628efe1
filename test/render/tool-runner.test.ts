/** runTool on fake tools: an abort kills the process group; the environment is minimal. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RenderError, runTool } from '@flotilla/render';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-tool-runner-'));
const limits = { timeoutMs: 10_000, maxOutputBytes: 1024 * 1024 };
function fakeTool(name: string, script: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, `#!/bin/sh\n${script}\n`, { mode: 0o755 });
  return file;
}

describe('runTool', () => {
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('an abort kills the tool and rejects with the signal reason', async () => {
    const bin = fakeTool('slow-helm', 'sleep 30');
    const controller = new AbortController();
    const started = Date.now();
    const run = runTool('helm', bin, ['template'], { cwd: dir, limits, signal: controller.signal });
    setTimeout(() => controller.abort(new Error('cancelled by test')), 200);
    await expect(run).rejects.toThrow('cancelled by test');
    expect(Date.now() - started).toBeLessThan(5000);
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
