import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { CliError } from '../errors/cli.error.js';

/** What `flotilla login` stores: one hub and the API token for it. */
export interface HubConfig {
  hub: string;
  token: string;
}

/** The config file: `$FLOTILLA_CONFIG`, else `$XDG_CONFIG_HOME/flotilla/config.json`, else `~/.config/flotilla/config.json`. */
export function configPath(env: NodeJS.ProcessEnv): string {
  if (env.FLOTILLA_CONFIG) return env.FLOTILLA_CONFIG;
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(base, 'flotilla', 'config.json');
}

/**
 * Reads the config file; undefined when there is none. A file others may read
 * is still used (as ssh does not, but kubectl does), with a warning: the token
 * in it is as good as a password.
 */
export async function readConfig(path: string, warn: (message: string) => void): Promise<HubConfig | undefined> {
  let text: string;
  try {
    const info = await stat(path);
    if ((info.mode & 0o077) !== 0) {
      warn(`${path} is readable by others (mode ${(info.mode & 0o777).toString(8).padStart(4, '0')}); run: chmod 600 ${path}`);
    }
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new CliError(`cannot read ${path}: ${(error as Error).message}`, 'ConfigUnreadable', { cause: error });
  }
  let parsed: Partial<HubConfig>;
  try {
    parsed = JSON.parse(text) as Partial<HubConfig>;
  } catch (error) {
    throw new CliError(`${path} is not JSON (${(error as Error).message}); run \`flotilla login\` again`, 'ConfigInvalid', { cause: error });
  }
  if (typeof parsed?.hub !== 'string' || typeof parsed.token !== 'string') {
    throw new CliError(`${path} has no "hub" and "token" strings; run \`flotilla login\` again`, 'ConfigInvalid');
  }
  return { hub: parsed.hub, token: parsed.token };
}

/**
 * Writes the config file atomically: a temporary file beside it, created
 * with mode 0600 (never wider, not even for a moment), then renamed over the
 * old one; the directory is created with mode 0700.
 */
export async function writeConfig(path: string, config: HubConfig): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  const file = await open(temp, 'wx', 0o600);
  try {
    await file.writeFile(`${JSON.stringify(config, null, 2)}\n`);
    await file.sync();
  } finally {
    await file.close();
  }
  try {
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** Removes the config file; false when there was none. */
export async function removeConfig(path: string): Promise<boolean> {
  try {
    await rm(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
