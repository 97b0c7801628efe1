import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { register } from '../support/agent-client.ts';
import { startHub, type TestHub } from '../support/hub.ts';
import { flotilla, flotillaProcess } from './cli-support.ts';

/** `flotilla clusters` on a real hub with clusters registered over gRPC: the hub's selector, table / json / yaml, bad input. */
let hub: TestHub;
let env: NodeJS.ProcessEnv;
const fleet = `f${randomUUID().slice(0, 6)}`;
beforeAll(async () => {
  hub = await startHub();
  env = { HOME: '/nonexistent', FLOTILLA_HUB_URL: hub.httpUrl, FLOTILLA_TOKEN: hub.adminToken };
  const token = (await hub.api('POST', '/api/v1/registration-tokens', { labels: { fleet } })).body.token;
  await register(hub, { token, identity: randomUUID(), name: 'eu-prod', labels: { env: 'prod', region: 'eu' } });
  await register(hub, { token, identity: randomUUID(), name: 'us-dev', labels: { env: 'dev', region: 'us' } });
  // Following nextCursor across pages is hub.client.test.ts's (the CLI asks for 500 a page).
  for (let i = 0; i < 3; i++) await register(hub, { token, identity: randomUUID(), name: `edge-${i}`, labels: { tier: 'edge' } });
});
afterAll(async () => {
  await hub?.dispose();
});

describe('flotilla clusters', () => {
  it('prints a table of every cluster: name, connection, labels, agent, last seen', async () => {
    const r = flotillaProcess(['clusters'], env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+CONNECTION\s+LABELS\s+AGENT\s+LAST SEEN$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/)[0])).toEqual(['edge-0', 'edge-1', 'edge-2', 'eu-prod', 'us-dev']);
    expect(lines.find((l) => l.startsWith('eu-prod'))).toMatch(new RegExp(`^eu-prod\\s+\\w+\\s+env=prod,fleet=${fleet},region=eu\\s+test\\s+(\\d+[smhdy]|never)$`));
  });

  it('filters with the hub by a label selector', async () => {
    const r = await flotilla(['clusters', '-l', 'env in (prod,dev),region!=us', '-o', 'json'], env);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).map((c: { name: string }) => c.name)).toEqual(['eu-prod']);
    const edge = await flotilla(['clusters', '--selector', 'tier=edge', '-o', 'yaml'], env);
    expect(parse(edge.stdout).map((c: { name: string; labels: object }) => c.name)).toEqual(['edge-0', 'edge-1', 'edge-2']);
    expect(await flotilla(['clusters', '-l', 'tier=none'], env)).toEqual({ code: 0, stdout: '', stderr: 'no clusters\n' });
  });

  it('-o json is the hub\'s clusters', async () => {
    const r = await flotilla(['clusters', '-o', 'json'], env);
    const clusters = JSON.parse(r.stdout);
    expect(clusters).toHaveLength(5);
    expect(clusters[3]).toMatchObject({ name: 'eu-prod', labels: { env: 'prod', region: 'eu', fleet }, agentVersion: 'test', connection: expect.any(String) });
  });

  it('refuses a bad selector, a bad -o and an unknown flag with exit 2 before any request', async () => {
    const offline = { ...env, FLOTILLA_HUB_URL: 'http://127.0.0.1:9' };
    const bad = await flotilla(['clusters', '-l', 'env in (prod'], offline);
    expect(bad).toEqual({ code: 2, stdout: '', stderr: 'flotilla clusters: --selector "env in (prod": unbalanced parentheses in "env in (prod"\nRun `flotilla clusters --help` for usage.\n' });
    expect(await flotilla(['clusters', '-l', 'Bad Key=x'], offline)).toMatchObject({ code: 2, stderr: expect.stringContaining('--selector "Bad Key=x"') });
    expect(await flotilla(['clusters', '-o', 'xml'], offline)).toMatchObject({ code: 2, stderr: expect.stringContaining('--output must be text, table, json or yaml (got "xml")') });
    expect(await flotilla(['clusters', '--watch'], offline)).toMatchObject({ code: 2, stderr: expect.stringContaining("Unknown option '--watch'") });
  });
});
