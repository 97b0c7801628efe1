import { UsageError } from '../args/usage.error.js';
import type { CliIo } from '../command.types.js';
import { configPath, readConfig } from './hub-config.file.js';

/** Where requests go, and with which API token. */
export interface HubTarget {
  /** The hub's REST address, ending in `/` (a path prefix of a reverse proxy is kept). */
  url: URL;
  token: string;
}

/** The options of every command that calls the hub. */
export const HUB_OPTIONS = {
  hub: { type: 'string' },
  token: { type: 'string' },
} as const;

export const HUB_OPTIONS_HELP = `
Hub (flags, else $FLOTILLA_HUB_URL / $FLOTILLA_TOKEN, else the file \`flotilla login\` wrote):
      --hub URL        the hub's REST address
      --token TOKEN    an API token (prefer $FLOTILLA_TOKEN or \`flotilla login\`: flags show in ps)`;

export interface HubFlags {
  hub?: string | undefined;
  token?: string | undefined;
}

/**
 * Resolves hub and token: flags, then the environment, then the config file.
 * The file's token is used only for the file's hub, so that `--hub other`
 * never sends the stored token to another server.
 */
export async function resolveHubTarget(flags: HubFlags, io: CliIo): Promise<HubTarget> {
  const env = io.env ?? process.env;
  let hub = flags.hub ?? env.FLOTILLA_HUB_URL;
  let token = flags.token ?? env.FLOTILLA_TOKEN;
  if (!hub || !token) {
    const config = await readConfig(configPath(env), (m) => io.stderr.write(`warning: ${m}\n`));
    hub ??= config?.hub;
    if (!token && config && hub && sameHub(config.hub, hub)) token = config.token;
  }
  if (!hub) throw new UsageError('no hub: pass --hub URL, set FLOTILLA_HUB_URL or run `flotilla login`');
  const url = parseHubUrl(hub);
  if (!token) throw new UsageError(`no token for ${url.href}: pass --token TOKEN, set FLOTILLA_TOKEN or run \`flotilla login --hub ${url.href}\``);
  return { url, token };
}

/** A hub address as given by a user: an http(s) URL, normalised to end in `/`; UsageError otherwise. */
export function parseHubUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`hub "${text}" is not a URL (expected e.g. https://flotilla.example.com)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`hub "${text}" is not an http or https URL`);
  if (url.username || url.password) throw new UsageError('the hub URL must not hold credentials: use --token');
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  url.search = '';
  url.hash = '';
  return url;
}

function sameHub(a: string, b: string): boolean {
  try {
    return parseHubUrl(a).href === parseHubUrl(b).href;
  } catch {
    return false;
  }
}
