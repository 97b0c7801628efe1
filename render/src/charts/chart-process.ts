/**
 * Runs helm for chart pulls: a time limit, bounded output and a kill of the whole
 * process group. Private to charts/ until it is folded into the shared tool runner.
 */
import { spawn } from 'node:child_process';
import { RenderError } from '../render.error.js';

export interface ChartProcessOptions {
  timeoutMs: number;
  maxOutputBytes: number;
  env?: NodeJS.ProcessEnv;
  /** Written to stdin, then stdin is closed (e.g. a password for --password-stdin). */
  input?: string;
  signal?: AbortSignal;
}

export interface ChartProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runChartProcess(cmd: string, args: readonly string[], options: ChartProcessOptions): Promise<ChartProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let errBytes = 0;
    let failure: RenderError | undefined;
    const killGroup = (): void => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const fail = (e: RenderError): void => {
      failure ??= e;
      killGroup();
    };
    const timer = setTimeout(() => fail(new RenderError('ToolTimeout', `${cmd} ${args[0] ?? ''} ran past ${options.timeoutMs} ms`)), options.timeoutMs);
    const onAbort = (): void => fail(new RenderError('ChartFetchFailed', 'chart fetch aborted', { field: 'helm.chart' }));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (chunk: Buffer) => {
      outBytes += chunk.length;
      if (outBytes > options.maxOutputBytes) fail(new RenderError('OutputTooLarge', `${cmd} printed more than ${options.maxOutputBytes} bytes`));
      else out.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      // stderr is kept for messages only: the first maxOutputBytes bytes.
      if (errBytes < options.maxOutputBytes) err.push(chunk);
      errBytes += chunk.length;
    });
    child.stdin.on('error', () => {});
    child.stdin.end(options.input ?? '');
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new RenderError('ToolMissing', `cannot run ${cmd}: ${e.message}`, {}, { cause: e }));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (failure) return reject(failure);
      resolve({ code: code ?? (signal ? 128 : 1), stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}
