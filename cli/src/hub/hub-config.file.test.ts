import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { configPath, readConfig, removeConfig, writeConfig } from './hub-config.file.js';
import { resolveHubTarget } from './hub-target.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'flotilla-config-'));
  dirs.push(d);
  return d;
}
const io = (env: NodeJS.ProcessEnv) => {
  let stderr = '';
  return { io: { stdout: process.stdout, stderr: { write: (s: string) => ((stderr += s), true) } as unknown as NodeJS.WritableStream, env }, stderr: () => stderr };
};

describe('config file', () => {
  it('lives at $FLOTILLA_CONFIG, else under $XDG_CONFIG_HOME, else ~/.config', () => {
    expect(configPath({ FLOTILLA_CONFIG: '/x/c.json', XDG_CONFIG_HOME: '/xdg', HOME: '/h' })).toBe('/x/c.json');
    expect(configPath({ XDG_CONFIG_HOME: '/xdg', HOME: '/h' })).toBe('/xdg/flotilla/config.json');
    expect(configPath({ HOME: '/h' })).toBe('/h/.config/flotilla/config.json');
  });

  it('is written with mode 0600 in a 0700 directory, leaving no temporary file', async () => {
    const path = join(tempDir(), 'a', 'flotilla', 'config.json');
    await writeConfig(path, { hub: 'http://hub/', token: 't1' });
    await writeConfig(path, { hub: 'http://hub/', token: 't2' });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(path, '..')).mode & 0o777).toBe(0o700);
    expect(readdirSync(join(path, '..'))).toEqual(['config.json']);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ hub: 'http://hub/', token: 't2' });
    expect(await removeConfig(path)).toBe(true);
    expect(existsSync(path)).toBe(false);
    expect(await removeConfig(path)).toBe(false);
  });

  it('is still read when others may read it, with a warning', async () => {
    const path = join(tempDir(), 'config.json');
    writeFileSync(path, JSON.stringify({ hub: 'http://hub/', token: 't' }));
    chmodSync(path, 0o644);
    const warnings: string[] = [];
    expect(await readConfig(path, (m) => warnings.push(m))).toEqual({ hub: 'http://hub/', token: 't' });
    expect(warnings).toEqual([`${path} is readable by others (mode 0644); run: chmod 600 ${path}`]);
  });
});

describe('resolveHubTarget', () => {
  it('takes flags over the environment over the config file', async () => {
    const path = join(tempDir(), 'config.json');
    await writeConfig(path, { hub: 'http://file-hub/', token: 'file-token' });
    const env = { FLOTILLA_CONFIG: path, FLOTILLA_HUB_URL: 'http://env-hub', FLOTILLA_TOKEN: 'env-token' };
    expect(await resolveHubTarget({ hub: 'http://flag-hub', token: 'flag-token' }, io(env).io)).toMatchObject({ url: new URL('http://flag-hub/'), token: 'flag-token' });
    expect(await resolveHubTarget({}, io(env).io)).toMatchObject({ url: new URL('http://env-hub/'), token: 'env-token' });
    expect(await resolveHubTarget({}, io({ FLOTILLA_CONFIG: path }).io)).toMatchObject({ url: new URL('http://file-hub/'), token: 'file-token' });
  });

  it("never sends the file's token to another hub", async () => {
    const path = join(tempDir(), 'config.json');
    await writeConfig(path, { hub: 'http://file-hub/', token: 'file-token' });
    await expect(resolveHubTarget({ hub: 'http://other-hub' }, io({ FLOTILLA_CONFIG: path }).io)).rejects.toThrow(/no token for http:\/\/other-hub\//);
    expect(await resolveHubTarget({ hub: 'http://file-hub' }, io({ FLOTILLA_CONFIG: path }).io)).toMatchObject({ token: 'file-token' });
  });

  it('refuses a hub that is not an http(s) URL, or none at all', async () => {
    await expect(resolveHubTarget({ hub: 'ftp://x', token: 't' }, io({}).io)).rejects.toThrow(/not an http or https URL/);
    await expect(resolveHubTarget({ token: 't' }, io({ FLOTILLA_CONFIG: join(tempDir(), 'none.json') }).io)).rejects.toThrow(/no hub: .*flotilla login/);
  });
});
