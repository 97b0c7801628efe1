import { spawn } from 'node:child_process';
import * as fs from 'node:fs/promises';
import { RenderError, type RenderErrorLocation } from '../render.error.js';
import { toolEnv, toolEnvDirs } from './tool-env.js';
import { stderrMessage } from './tool-stderr.rules.js';
import type { ToolLimits } from './tool-set.types.js';

export type ToolName = 'helm' | 'kustomize';

export interface RunToolOptions {
  /** Working directory; the tool's HOME and Helm homes are created under `<cwd>/.home`. */
  cwd: string;
  limits: ToolLimits;
  signal?: AbortSignal;
  /** Added to the minimal environment. */
  env?: Record<string, string>;
  /** Reads a file and line out of a failed run's stderr (paths relative to the bundle). */
  locate?: (stderr: string) => RenderErrorLocation;
  /**
   * Explains a non-zero exit better than stderr alone (e.g. helm prints a repository's download failure
   * on stdout and a vaguer error on stderr); `undefined` falls back to the default HelmFailed/KustomizeFailed.
   */
  explain?: (run: { code: number | null; stdout: string; stderr: string }) => RenderError | undefined;
}

/** stderr kept for messages: the limit, but never more than this. */
const MAX_STDERR_BYTES = 1024 * 1024;

const CONFIGURE: Record<ToolName, string> = {
  helm: 'install helm v3 or set FLOTILLA_HELM to its path',
  kustomize: 'install kustomize v5 or set FLOTILLA_KUSTOMIZE to its path',
};

/**
 * Runs `bin args` without a shell, in its own process group, which is killed
 * (SIGKILL) on timeout, abort or oversized output. Resolves with stdout and
 * stderr of a zero exit; every failure is a RenderError (an abort rejects with
 * the signal's reason).
 */
export async function runTool(tool: ToolName, bin: string, args: string[], opts: RunToolOptions): Promise<{ stdout: Buffer; stderr: string }> {
  opts.signal?.throwIfAborted();
  const env = toolEnv(opts.cwd, process.env.PATH, opts.env);
  await Promise.all(toolEnvDirs(env).map((d) => fs.mkdir(d, { recursive: true })));
  const { timeoutMs, maxOutputBytes } = opts.limits;

  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { cwd: opts.cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'], shell: false });
    const stdout: Buffer[] = [];
    let stdoutBytes = 0;
    let stderr = '';
    let failure: unknown;

    const kill = (why: unknown) => {
      failure ??= why;
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
    };
    const timer = setTimeout(() => kill(new RenderError('ToolTimeout', `${tool} ran longer than ${timeoutMs} ms (limit timeoutMs) and was killed`)), timeoutMs);
    const onAbort = () => kill(opts.signal?.reason ?? new Error('aborted'));
    opts.signal?.addEventListener('abort', onAbort, { once: true });

    child.stdout.on('data', (chunk: Buffer) => {
      stdoutBytes += chunk.length;
      if (stdoutBytes > maxOutputBytes) kill(new RenderError('OutputTooLarge', `${tool} wrote more than ${maxOutputBytes} bytes (limit maxOutputBytes)`));
      else if (failure === undefined) stdout.push(chunk);
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      if (stderr.length < Math.min(maxOutputBytes, MAX_STDERR_BYTES)) stderr += chunk;
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      const missing = error.code === 'ENOENT' || error.code === 'EACCES';
      failure ??= missing
        ? new RenderError('ToolMissing', `${tool} is not runnable at '${bin}' (${error.code}): ${CONFIGURE[tool]}`, {}, { cause: error })
        : error;
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      if (failure !== undefined) return reject(failure as Error);
      if (code === 0) return resolve({ stdout: Buffer.concat(stdout), stderr });
      const explained = opts.explain?.({ code, stdout: Buffer.concat(stdout).toString('utf8'), stderr });
      if (explained) return reject(explained);
      const reason = tool === 'helm' ? 'HelmFailed' : 'KustomizeFailed';
      const how = signal ? `was killed by ${signal}` : `exited with ${code}`;
      const detail = stderrMessage(stderr) || how;
      reject(new RenderError(reason, `${tool} ${args[0] ?? ''} failed: ${detail}`, opts.locate?.(stderr) ?? {}));
    });
  });
}
