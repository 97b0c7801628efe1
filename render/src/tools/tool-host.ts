/**
 * The tool host: a small Node process (tool-host.client.ts forks it) that
 * starts helm and kustomize for a big one. Forking copies the parent's page
 * tables, so a spawn from a hub of ~250 MiB blocks its event loop for tens of
 * milliseconds each time (bench/render); from this process, which loads
 * nothing but the executor, it costs a few, and not on the hub's thread.
 *
 * Messages in: `{ type: 'run', id, run }`, `{ type: 'abort', id }`. Out:
 * `{ id, exit }` or `{ id, error }`. When its parent goes away (the IPC channel
 * closes) it kills every tool it started and exits.
 */
import { isRenderError } from '../render.error.js';
import { execToolHere, type ToolRun } from './tool-exec.js';
import type { HostReply, HostRequest } from './tool-host.protocol.js';

const running = new Map<number, AbortController>();

function send(reply: HostReply): void {
  process.send?.(reply);
}

function describe(error: unknown): HostReply['error'] {
  if (isRenderError(error)) return { renderError: { reason: error.reason, message: error.message } };
  const e = error as NodeJS.ErrnoException;
  return { message: e?.message ?? String(error), ...(e?.code ? { code: e.code } : {}) };
}

function start(id: number, run: ToolRun): void {
  const controller = new AbortController();
  running.set(id, controller);
  execToolHere(run, controller.signal).then(
    (exit) => send({ id, exit }),
    (error: unknown) => send({ id, error: describe(error) }),
  ).finally(() => running.delete(id));
}

process.on('message', (m: HostRequest) => {
  if (m.type === 'run') start(m.id, m.run);
  else if (m.type === 'abort') running.get(m.id)?.abort(new Error('aborted by the parent'));
});

process.on('disconnect', () => {
  for (const controller of running.values()) controller.abort(new Error('parent went away'));
  process.exit(0);
});
