import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifySignature } from '../../hub/src/events/webhooks/webhook.signing.ts';
import { eventually } from '../support/eventually.ts';
import { startHub, type TestHub } from '../support/hub.ts';

/*
 * Webhook notifications on a real hub: a receiver in the test verifies every
 * signature; one that fails 3 times then recovers gets every event exactly
 * once; delivery status is visible through the API; bad input is refused.
 */

let hub: TestHub;
const SECRET = 'receiver-shared-secret';

beforeAll(async () => {
  hub = await startHub({ env: { FLOTILLA_WEBHOOK_BACKOFF_MS: '200' } });
});
afterAll(async () => {
  await hub?.dispose();
});

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** An HTTP receiver that answers 500 to its first `failures` requests, then 204. */
async function receiver(failures: number): Promise<{ url: string; received: Received[]; answered: number[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const answered: number[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      const status = received.length <= failures ? 500 : 204;
      answered.push(status);
      res.writeHead(status).end(status === 500 ? 'receiver is down' : undefined);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook`, received, answered, close: () => new Promise((r) => server.close(() => r())) };
}

const unique = (name: string) => `${name}-${Math.random().toString(36).slice(2, 8)}`;

async function makeEvents(bundle: string): Promise<void> {
  const put = await hub.api('PUT', `/api/v1/bundles/${bundle}`, { resources: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: {} }], targets: [] });
  expect(put.status).toBe(201);
  for (const action of ['pause', 'resume', 'pause', 'resume']) expect((await hub.api('POST', `/api/v1/bundles/${bundle}/rollout/${action}`)).status).toBe(200);
}

describe('webhooks', () => {
  it('signs every delivery, retries a failing receiver with backoff, and delivers each event exactly once', async () => {
    const rx = await receiver(3);
    try {
      const bundle = unique('hooked');
      const name = unique('ops');
      const created = await hub.api('PUT', `/api/v1/webhooks/${name}`, { url: rx.url, secret: SECRET, kinds: ['rollout.*'], bundle });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(JSON.stringify(created.body)).not.toContain(SECRET);
      await makeEvents(bundle);
      // Once the rollout completed, the bundle makes no more events.
      await eventually(async () => expect((await hub.api('GET', `/api/v1/bundles/${bundle}/rollout`)).body.rollout.state).toBe('Completed'));
      // The history shows events once the sequencer has ordered them, a moment after they committed: wait until
      // every event of the bundle is there (completed is the last one) and delivered, then compare with it.
      const history = async () => (await hub.api('GET', `/api/v1/events/history?bundle=${bundle}&kind=rollout.*`)).body.items as { id: string; kind: string }[];
      await eventually(async () => {
        const events = await history();
        expect(events.map((e) => e.kind)).toEqual(expect.arrayContaining(['rollout.started', 'rollout.paused', 'rollout.resumed', 'rollout.completed']));
        expect(rx.answered.filter((s) => s === 204)).toHaveLength(events.length);
      }, { timeoutMs: 30_000 });
      await new Promise((r) => setTimeout(r, 1000)); // nothing more may arrive
      const expected = await history();
      const ok = rx.received.filter((_, i) => rx.answered[i] === 204);
      expect(ok).toHaveLength(expected.length);
      for (const r of rx.received) {
        expect(verifySignature(SECRET, r.headers['x-flotilla-signature'] as string, r.headers['x-flotilla-timestamp'] as string, r.body, Math.floor(Date.now() / 1000)), 'signature').toBe(true);
      }
      const delivered = ok.map((r) => JSON.parse(r.body) as { id: string; kind: string });
      expect(delivered.map((e) => e.id).sort()).toEqual(expected.map((e) => e.id).sort());
      expect(new Set(ok.map((r) => r.headers['x-flotilla-delivery'])).size).toBe(expected.length);
      expect(rx.received).toHaveLength(expected.length + 3);
      expect(ok.every((r) => r.headers['x-flotilla-event'] === JSON.parse(r.body).kind)).toBe(true);

      const deliveries = (await hub.api('GET', `/api/v1/webhooks/${name}/deliveries`)).body.items as { state: string; attempts: number; lastStatus: number }[];
      expect(deliveries.map((d) => d.state)).toEqual(expected.map(() => 'Delivered'));
      expect(deliveries.reduce((n, d) => n + d.attempts, 0)).toBe(expected.length + 3);
      expect((await hub.api('GET', `/api/v1/webhooks/${name}`)).body).toMatchObject({ deliveries: { Delivered: expected.length, Pending: 0, Failed: 0 } });
    } finally {
      await rx.close();
    }
  });

  it('sends a Slack-compatible message when asked', async () => {
    const rx = await receiver(0);
    try {
      const bundle = unique('slacked');
      expect((await hub.api('PUT', `/api/v1/webhooks/${unique('slack')}`, { url: rx.url, secret: SECRET, kinds: ['rollout.started'], bundle, format: 'slack' })).status).toBe(201);
      await makeEvents(bundle);
      await eventually(() => expect(rx.received).toHaveLength(1));
      expect(JSON.parse(rx.received[0]!.body)).toMatchObject({ text: expect.stringContaining('*rollout.started*'), flotilla: { kind: 'rollout.started', bundle } });
    } finally {
      await rx.close();
    }
  });

  it('refuses bad subscriptions with a precise message, and never returns the secret', async () => {
    const bad = (body: Record<string, unknown>) => hub.api('PUT', '/api/v1/webhooks/bad', { url: 'https://hooks.example.com/x', secret: SECRET, ...body });
    expect((await bad({ url: 'ftp://hooks.example.com/x' })).body).toMatchObject({ error: 'ValidationFailed', field: 'body.url' });
    expect((await bad({ url: 'https://user:pw@hooks.example.com/x' })).body).toMatchObject({ field: 'body.url' });
    expect((await bad({ secret: 'short' })).body).toMatchObject({ field: 'body.secret' });
    expect((await bad({ kinds: ['rollout.exploded'] })).body).toMatchObject({ field: 'body.kinds.0', message: expect.stringContaining('not an event kind') });
    expect((await bad({ format: 'teams' })).body).toMatchObject({ field: 'body.format' });
    expect((await hub.api('GET', '/api/v1/webhooks/bad')).status).toBe(404);
    expect((await hub.api('GET', '/api/v1/webhooks/nope/deliveries')).body).toMatchObject({ error: 'WebhookNotFound' });
    expect((await hub.api('DELETE', '/api/v1/webhooks/nope')).status).toBe(404);
    const list = (await hub.api('GET', '/api/v1/webhooks')).body;
    expect(JSON.stringify(list)).not.toContain(SECRET);
  });
});
