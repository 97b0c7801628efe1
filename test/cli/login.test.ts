import { chmodSync, existsSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type TestHub } from '../support/hub.ts';
import { flotilla, flotillaProcess, tempHome } from './cli-support.ts';

/** `flotilla login` / `logout` on a real hub: the token is checked first; the file is 0600 in a 0700 directory; never the token on screen. */
let hub: TestHub;
let home: ReturnType<typeof tempHome>;
let token: string;
beforeAll(async () => {
  hub = await startHub();
  token = (await hub.api('POST', '/api/v1/api-tokens', { name: 'cli-login', role: 'readonly' })).body.token;
});
afterAll(async () => {
  home?.dispose();
  await hub?.dispose();
});

describe('flotilla login', () => {
  it('stores a token the hub accepts in a 0600 file, which later commands use; logout removes it', async () => {
    home = tempHome();
    const env = { HOME: home.home };
    const login = flotillaProcess(['login', '--hub', hub.httpUrl, '--token-stdin'], env, `${token}\n`);
    expect(login.stderr).toBe(`logged in to ${hub.httpUrl}/; stored in ${home.config}\n`);
    expect(login.code).toBe(0);
    expect(login.stdout + login.stderr).not.toContain(token);
    expect(statSync(home.config).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(home.config)).mode & 0o777).toBe(0o700);
    expect(JSON.parse(readFileSync(home.config, 'utf8'))).toEqual({ hub: `${hub.httpUrl}/`, token });

    // No --hub, no --token, no environment: the file's.
    const clusters = await flotilla(['clusters', '-o', 'json'], env);
    expect(clusters).toEqual({ code: 0, stdout: '[]\n', stderr: '' });

    const logout = await flotilla(['logout'], env);
    expect(logout).toEqual({ code: 0, stdout: '', stderr: `removed ${home.config}\n` });
    expect(existsSync(home.config)).toBe(false);
    expect((await flotilla(['clusters'], env)).code).toBe(2);
  });

  it('writes nothing for a token the hub refuses, and exits 1 saying so', async () => {
    const h = tempHome();
    try {
      const r = await flotilla(['login', '--hub', hub.httpUrl, '--token', 'flt_api_not-a-real-token'], { HOME: h.home });
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`flotilla login: the hub at ${hub.httpUrl}/ refused the API token: it is invalid, expired or revoked; run \`flotilla login\` [ApiTokenInvalid]\n`);
      expect(r.stderr).not.toContain('not-a-real-token');
      expect(existsSync(h.config)).toBe(false);
      expect(existsSync(dirname(h.config))).toBe(false);
    } finally {
      h.dispose();
    }
  });

  it('warns when the file is readable by others, and still uses it', async () => {
    const h = tempHome();
    try {
      const env = { FLOTILLA_CONFIG: `${h.home}/flotilla.json` };
      expect((await flotilla(['login', '--hub', hub.httpUrl, '--token', token], env)).code).toBe(0);
      expect(statSync(env.FLOTILLA_CONFIG).mode & 0o777).toBe(0o600);
      chmodSync(env.FLOTILLA_CONFIG, 0o644);
      const r = await flotilla(['clusters', '-o', 'json'], env);
      expect(r.code).toBe(0);
      expect(r.stderr).toBe(`warning: ${env.FLOTILLA_CONFIG} is readable by others (mode 0644); run: chmod 600 ${env.FLOTILLA_CONFIG}\n`);
    } finally {
      h.dispose();
    }
  });

  it('names an unreachable hub and writes nothing', async () => {
    const h = tempHome();
    try {
      await hub.stop();
      const r = await flotilla(['login', '--hub', hub.httpUrl, '--token', token], { HOME: h.home });
      expect(r).toEqual({ code: 1, stdout: '', stderr: `flotilla login: cannot reach the hub at ${hub.httpUrl}/: connection refused [HubUnreachable]\n` });
      expect(existsSync(h.config)).toBe(false);
    } finally {
      h.dispose();
      await hub.start();
    }
  });

  it('refuses a bad command line with exit 2', async () => {
    const env = { HOME: '/nonexistent' };
    expect(await flotilla(['login', '--hub', hub.httpUrl, '--token', 'x', '--token-stdin'], env)).toMatchObject({ code: 2, stderr: expect.stringContaining('not both') });
    expect(await flotilla(['login', '--hub', 'ftp://x', '--token', 'x'], env)).toMatchObject({ code: 2, stderr: expect.stringContaining('not an http or https URL') });
    expect(await flotilla(['login', '--hub', hub.httpUrl, '--frobnicate'], env)).toMatchObject({ code: 2, stderr: expect.stringContaining("Unknown option '--frobnicate'") });
  });
});
