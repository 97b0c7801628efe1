import { afterEach, describe, expect, it } from 'vitest';
import { ProbeServer, type Readiness } from './probe.server.js';

let server: ProbeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(readiness: () => Readiness): Promise<(path: string, method?: string) => Promise<{ status: number; text: string }>> {
  server = new ProbeServer(readiness);
  const port = await server.listen(0);
  return async (path, method = 'GET') => {
    const res = await fetch(`http://127.0.0.1:${port}${path}`, { method });
    return { status: res.status, text: await res.text() };
  };
}

describe('ProbeServer', () => {
  it('answers liveness always and readiness as the agent says, with the reason', async () => {
    let state: Readiness = { ready: false, reason: 'waiting to register' };
    const get = await start(() => state);
    expect(await get('/healthz')).toEqual({ status: 200, text: 'ok\n' });
    expect(await get('/readyz')).toEqual({ status: 503, text: 'not ready: waiting to register\n' });
    state = { ready: true };
    expect(await get('/readyz')).toEqual({ status: 200, text: 'ready\n' });
    expect(await get('/readyz?verbose=1')).toEqual({ status: 200, text: 'ready\n' });
  });

  it('serves nothing else', async () => {
    const get = await start(() => ({ ready: true }));
    expect(await get('/metrics')).toEqual({ status: 404, text: 'not found: try /healthz or /readyz\n' });
    expect((await get('/healthz', 'POST')).status).toBe(405);
  });

  it('fails to start on a port in use, with the system error', async () => {
    server = new ProbeServer(() => ({ ready: true }));
    const port = await server.listen(0);
    const second = new ProbeServer(() => ({ ready: true }));
    await expect(second.listen(port)).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });
});
