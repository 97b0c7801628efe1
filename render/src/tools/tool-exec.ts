import { spawn } from 'node:child_process';
import * as fs from 'node:fs/promises';
import { RenderError } from '../render.error.js';
import { toolEnvDirs } from './tool-env.js';
import type { ToolLimits } from './tool-set.types.js';

export type ToolName = 'helm' | 'kustomize';

/** One run of a tool, as plain data (it crosses to the tool host over IPC). */
export interface ToolRun {
  tool: ToolName;
  bin: string;
  args: string[];
  cwd: string;
  /** The whole environment of the run (toolEnv); its homes are created first. */
  env: Record<string, string>;
  limits: ToolLimits;
}

/** How a run ended: any exit code (a non-zero one is the caller's to explain). */
export interface ToolExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: string;
}

/**
 * Starts runs and resolves with their exit. Rejects with RenderError for
 * ToolTimeout, OutputTooLarge and ToolMissing, and with the signal's reason on
 * abort. `execToolHere` spawns from this process; the hub uses a ToolHost,
 * which spawns from a small helper process instead (tool-host.client.ts).
 */
export type ToolExecutor = (run: ToolRun, signal?: AbortSignal) => Promise<ToolExit>;

/** stderr kept for messages: the limit, but never more than this. */
const MAX_STDERR_BYTES = 1024 * 1024;

const CONFIGURE: Record<ToolName, string> = {
  helm: 'install helm v3 or set FLOTILLA_HELM to its path',
  kustomize: 'install kustomize v5 or set FLOTILLA_KUSTOMIZE to its path',
};

/**
 * Runs `bin args` from this process, without a shell, in its own process
 * group, which is killed (SIGKILL) on timeout, abort or oversized output.
 */
export const execToolHere: ToolExecutor = async (run, signal) => {
  signal?.throwIfAborted();
  await Promise.all(toolEnvDirs(run.env).map((d) => fs.mkdir(d, { recursive: true })));
  const { tool, limits } = run;

  return new Promise((resolve, reject) => {
    const child = spawn(run.bin, run.args, { cwd: run.cwd, env: run.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'], shell: false });
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
    const timer = setTimeout(() => kill(new RenderError('ToolTimeout', `${tool} ran longer than ${limits.timeoutMs} ms (limit timeoutMs) and was killed`)), limits.timeoutMs);
    const onAbort = () => kill(signal?.reason ?? new Error('aborted'));
    signal?.addEventListener('abort', onAbort, { once: true });

    child.stdout.on('data', (chunk: Buffer) => {
      stdoutBytes += chunk.length;
      if (stdoutBytes > limits.maxOutputBytes) kill(new RenderError('OutputTooLarge', `${tool} wrote more than ${limits.maxOutputBytes} bytes (limit maxOutputBytes)`));
      else if (failure === undefined) stdout.push(chunk);
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      if (stderr.length < Math.min(limits.maxOutputBytes, MAX_STDERR_BYTES)) stderr += chunk;
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      const missing = error.code === 'ENOENT' || error.code === 'EACCES';
      failure ??= missing
        ? new RenderError('ToolMissing', `${tool} is not runnable at '${run.bin}' (${error.code}): ${CONFIGURE[tool]}`, {}, { cause: error })
        : error;
    });
    child.on('close', (code, exitSignal) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (failure !== undefined) return reject(failure as Error);
      resolve({ code, signal: exitSignal, stdout: Buffer.concat(stdout), stderr });
    });
  });
};
