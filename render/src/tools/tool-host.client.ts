import { fork, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RenderError } from '../render.error.js';
import type { ToolExecutor, ToolExit } from './tool-exec.js';
import type { HostReply, HostRequest } from './tool-host.protocol.js';

interface Pending {
  resolve: (exit: ToolExit) => void;
  reject: (error: unknown) => void;
}

/**
 * Runs tools through one tool host process (tool-host.ts), forked on first
 * use and again after it died: the parent never forks a tool itself, so its
 * size does not slow every spawn and its event loop never waits on one. The
 * host applies the same bounds (execToolHere); an abort here kills the run
 * there. If the host dies, its runs reject (a plain Error: the render job is
 * retried, nothing is stored as the bundle's failure).
 */
export class ToolHost {
  private child?: ChildProcess;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(private readonly script: string = defaultHostScript()) {}

  readonly exec: ToolExecutor = (run, signal) => {
    signal?.throwIfAborted();
    const child = this.ensure();
    const id = this.nextId++;
    return new Promise<ToolExit>((resolve, reject) => {
      const onAbort = () => {
        this.pending.delete(id);
        child.send({ type: 'abort', id } satisfies HostRequest);
        reject(signal?.reason ?? new Error('aborted'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = () => signal?.removeEventListener('abort', onAbort);
      this.pending.set(id, {
        resolve: (exit) => (done(), resolve(exit)),
        reject: (error) => (done(), reject(error)),
      });
      child.send({ type: 'run', id, run } satisfies HostRequest);
    });
  };

  /** Stops the host (its running tools are killed). */
  close(): void {
    this.child?.disconnect();
    this.child = undefined;
  }

  private ensure(): ChildProcess {
    if (this.child?.connected) return this.child;
    // No inherited execArgv or NODE_OPTIONS (--cpu-prof, --inspect): the host is not the process being profiled.
    const child = fork(this.script, [], {
      execArgv: [],
      env: { PATH: process.env.PATH ?? '' },
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child.on('message', (reply: HostReply) => this.settle(reply));
    child.on('exit', (code, signal) => {
      if (this.child === child) this.child = undefined;
      const error = new Error(`the tool host exited (${signal ?? `code ${code}`}) while tools ran`);
      for (const p of this.pending.values()) p.reject(error);
      this.pending.clear();
    });
    child.on('error', () => undefined); // 'exit' follows and rejects what was pending
    // Never keeps the parent alive by itself.
    child.unref();
    child.channel?.unref();
    this.child = child;
    return child;
  }

  private settle(reply: HostReply): void {
    const p = this.pending.get(reply.id);
    if (!p) return;
    this.pending.delete(reply.id);
    if (reply.exit) {
      const { stdout } = reply.exit;
      return p.resolve({ ...reply.exit, stdout: Buffer.from(stdout.buffer, stdout.byteOffset, stdout.byteLength) });
    }
    const e = reply.error;
    if (e && 'renderError' in e) return p.reject(new RenderError(e.renderError.reason, e.renderError.message));
    p.reject(Object.assign(new Error(e?.message ?? 'the tool host gave no answer'), e && 'code' in e && e.code ? { code: e.code } : {}));
  }
}

/** tool-host.js beside this file in the build; from the sources (tests), the build's. */
function defaultHostScript(): string {
  const here = fileURLToPath(import.meta.url);
  const dir = path.dirname(here);
  return here.endsWith('.ts') ? path.join(dir, '..', '..', 'dist', 'tools', 'tool-host.js') : path.join(dir, 'tool-host.js');
}
