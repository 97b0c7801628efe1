import { parseArgs } from 'node:util';
import { UsageError } from '../args/usage.error.js';
import type { CliIo, Command } from '../command.types.js';
import { HubClient } from '../hub/hub.client.js';
import { configPath, writeConfig } from '../hub/hub-config.file.js';
import { parseHubUrl } from '../hub/hub-target.js';
import { readToken } from '../hub/read-token.js';

const options = {
  hub: { type: 'string' },
  token: { type: 'string' },
  'token-stdin': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const loginCommand: Command = {
  name: 'login',
  summary: 'check an API token against a hub and store both for the other commands',
  options,
  help: `Usage: flotilla login --hub URL [--token TOKEN | --token-stdin]

Checks the token with one cheap authenticated request (a one-item list of
clusters, which a readonly token may make), then stores the hub and the token
in the config file: $FLOTILLA_CONFIG, else $XDG_CONFIG_HOME/flotilla/config.json,
else ~/.config/flotilla/config.json (mode 0600, directory 0700). A token the
hub refuses writes nothing. The token is never printed.

Options:
      --hub URL        the hub's REST address (default $FLOTILLA_HUB_URL)
      --token TOKEN    the API token (default $FLOTILLA_TOKEN); visible in ps: prefer --token-stdin
      --token-stdin    read the token from stdin (e.g. \`pass flotilla | flotilla login --hub URL --token-stdin\`)
  -h, --help           this help

Exit code: 0 stored, 1 the hub refused the token or cannot be reached, 2 a bad command line.
`,
  async run(argv: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, strict: true, options });
    if (values.help) {
      io.stdout.write(this.help);
      return 0;
    }
    if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    const env = io.env ?? process.env;
    const hub = values.hub ?? env.FLOTILLA_HUB_URL;
    if (!hub) throw new UsageError('pass --hub URL (or set FLOTILLA_HUB_URL)');
    if (values.token !== undefined && values['token-stdin']) throw new UsageError('pass --token or --token-stdin, not both');
    const token = values['token-stdin'] ? await readToken(io.stdin ?? process.stdin) : (values.token ?? env.FLOTILLA_TOKEN);
    if (!token) throw new UsageError('pass --token TOKEN or --token-stdin (or set FLOTILLA_TOKEN)');
    const url = parseHubUrl(hub);
    await new HubClient({ url, token }).get('api/v1/clusters', { limit: 1 });
    const path = configPath(env);
    await writeConfig(path, { hub: url.href, token });
    io.stderr.write(`logged in to ${url.href}; stored in ${path}\n`);
    return 0;
  },
};
