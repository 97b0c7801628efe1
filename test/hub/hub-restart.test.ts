import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { heartbeat, register, watch } from '../support/agent-client.ts';
import { eventually } from '../support/eventually.ts';
import { startHub, type TestHub } from '../support/hub.ts';

let hub: TestHub;
beforeAll(async () => {
  hub = await startHub();
});
afterAll(async () => {
  await hub?.dispose();
});

describe('hub restart', () => {
  it('keeps clusters and credentials; agents reconnect to the restarted hub', async () => {
    const token = (await hub.api('POST', '/api/v1/registration-tokens', { maxUses: 5, labels: { keep: 'me' } })).body;
    const agents = await Promise.all(
      ['a', 'b'].map((n) => register(hub, { token: token.token, identity: `restart-${n}-${Math.random()}`, name: `restart-${n}` })),
    );
    const streams = agents.map((a) => watch(hub, a.credential));
    await eventually(() => streams.every((s) => s.events.length >= 2));

    await hub.stop();
    // A stopping hub ends streams with UNAVAILABLE (reconnect), never UNAUTHENTICATED (re-register).
    for (const s of streams) expect((await s.ended).code).toBe(status.UNAVAILABLE);
    await hub.start();

    const reopened = agents.map((a) => watch(hub, a.credential));
    await eventually(() => reopened.every((s) => s.events.length >= 2), { timeoutMs: 15_000 });
    for (const a of agents) await expect(heartbeat(hub, a.credential)).resolves.toBeDefined();
    const list = (await hub.api('GET', '/api/v1/clusters?selector=keep%3Dme')).body.items;
    expect(list.map((c: { name: string }) => c.name).sort()).toEqual(['restart-a', 'restart-b']);
    const tokens = (await hub.api('GET', '/api/v1/registration-tokens')).body.items;
    expect(tokens.find((t: { id: string }) => t.id === token.id).uses).toBe(2);
    for (const s of reopened) s.cancel();
  });
});
