import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startHub, type TestHub } from '../support/hub.ts';
import { flotilla, flotillaProcess } from './cli-support.ts';

/** `flotilla tokens` on a real hub: create prints the secret once, list never does, a revoked token gets the 401 message. */
let hub: TestHub;
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  hub = await startHub();
  env = { HOME: '/nonexistent', FLOTILLA_HUB_URL: hub.httpUrl, FLOTILLA_TOKEN: hub.adminToken };
});
afterAll(async () => {
  await hub?.dispose();
});

describe('flotilla tokens', () => {
  it('create → list → revoke, and the revoked token is refused with the login hint', async () => {
    const created = await flotilla(['tokens', 'create', 'ci-deploy', '--role', 'readonly'], env);
    expect(created.code).toBe(0);
    const secret = created.stdout.trim();
    expect(created.stdout).toBe(`${secret}\n`);
    expect(secret).toMatch(/^flt_api_/);
    expect(created.stderr).toMatch(/^created readonly token "ci-deploy" \([0-9a-f-]{36}\); its secret is shown only this once/);
    expect(created.stderr).not.toContain(secret);

    // The new token works (readonly: it may list clusters).
    expect(await flotilla(['clusters', '-o', 'json'], { ...env, FLOTILLA_TOKEN: secret })).toEqual({ code: 0, stdout: '[]\n', stderr: '' });

    const table = flotillaProcess(['tokens', 'list'], env);
    expect(table.code).toBe(0);
    expect(table.stdout).not.toContain(secret);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+NAME\s+ROLE\s+AGE\s+LAST USED\s+STATUS$/);
    const row = lines.find((l) => l.includes(' ci-deploy '))!;
    expect(row).toMatch(/^[0-9a-f-]{36}\s+ci-deploy\s+readonly\s+\d+s\s+(\d+s|never)\s+active$/);
    const id = row.split(/\s+/)[0]!;

    const json = JSON.parse((await flotilla(['tokens', 'list', '-o', 'json'], env)).stdout);
    const listed = json.find((t: { id: string }) => t.id === id);
    // lastUsedAt is written after the hub answers: a string or still null.
    expect(Object.keys(listed).sort()).toEqual(['createdAt', 'id', 'lastUsedAt', 'name', 'revoked', 'role']);
    expect(listed).toMatchObject({ id, name: 'ci-deploy', role: 'readonly', createdAt: expect.any(String), revoked: false });
    expect(JSON.stringify(json)).not.toContain(secret.slice(-20));

    expect(await flotilla(['tokens', 'revoke', id], env)).toEqual({ code: 0, stdout: `revoked token ${id}\n`, stderr: '' });
    const revoked = parse((await flotilla(['tokens', 'list', '--status', 'revoked', '-o', 'yaml'], env)).stdout);
    expect(revoked.map((t: { id: string }) => t.id)).toEqual([id]);

    const refused = flotillaProcess(['clusters'], { ...env, FLOTILLA_TOKEN: secret });
    expect(refused).toEqual({
      code: 1,
      stdout: '',
      stderr: `flotilla clusters: the hub at ${hub.httpUrl}/ refused the API token: it is invalid, expired or revoked; run \`flotilla login\` [ApiTokenInvalid]\n`,
    });
  });

  it("prints the hub's reason when it refuses: a readonly token, an unknown id", async () => {
    const readonly = (await hub.api('POST', '/api/v1/api-tokens', { name: 'viewer', role: 'readonly' })).body.token;
    const forbidden = await flotilla(['tokens', 'create', 'x', '--role', 'admin'], { ...env, FLOTILLA_TOKEN: readonly });
    expect(forbidden).toEqual({ code: 1, stdout: '', stderr: 'flotilla tokens: the readonly role cannot POST /api/v1/api-tokens [ApiRoleForbidden]\n' });
    const unknown = await flotilla(['tokens', 'revoke', '00000000-0000-4000-8000-000000000000'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^flotilla tokens: .+ \[\w+NotFound\]\n$/);
  });

  it('refuses a bad command line with exit 2', async () => {
    for (const argv of [['tokens'], ['tokens', 'rotate'], ['tokens', 'create', 'x'], ['tokens', 'create', 'x', '--role', 'root'], ['tokens', 'revoke', 'not-a-uuid'], ['tokens', 'list', '--role', 'admin'], ['tokens', 'list', '-o', 'csv']]) {
      const r = await flotilla(argv, env);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^flotilla tokens: .+\nRun `flotilla tokens --help` for usage\.\n$/);
    }
  });
});
