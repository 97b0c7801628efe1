import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the readiness probe reports: ready, or why not yet. */
export type Readiness = { ready: true } | { ready: false; reason: string };

/**
 * The kubelet's view of the agent, on plain HTTP (`FLOTILLA_PROBE_PORT`):
 * `GET /healthz` answers 200 while the process serves requests (a wedged
 * event loop fails it, and the pod is restarted); `GET /readyz` answers 200
 * once the agent holds its credential and enforces its desired state, and
 * 503 with the reason before (e.g. while it waits to register). Nothing else
 * is served; nothing secret is in any answer.
 */
export class ProbeServer {
  private server: Server | undefined;

  constructor(private readonly readiness: () => Readiness) {}

  /** Listens on `port` (0: any free port); resolves with the port bound. */
  listen(port: number): Promise<number> {
    const server = createServer((req, res) => {
      const path = (req.url ?? '').split('?')[0];
      const reply = (status: number, text: string) => res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(`${text}\n`);
      if (req.method !== 'GET' && req.method !== 'HEAD') return reply(405, 'method not allowed');
      if (path === '/healthz') return reply(200, 'ok');
      if (path === '/readyz') {
        const state = this.readiness();
        return state.ready ? reply(200, 'ready') : reply(503, `not ready: ${state.reason}`);
      }
      return reply(404, 'not found: try /healthz or /readyz');
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, () => resolve((server.address() as AddressInfo).port));
    });
  }

  close(): Promise<void> {
    const server = this.server;
    if (!server) return Promise.resolve();
    return new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
}
