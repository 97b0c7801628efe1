import { parseArgs } from 'node:util';
import { UsageError } from '../args/usage.error.js';
import type { CliIo, Command } from '../command.types.js';
import { configPath, removeConfig } from '../hub/hub-config.file.js';

const options = { help: { type: 'boolean', short: 'h' } } as const;

export const logoutCommand: Command = {
  name: 'logout',
  summary: 'remove the hub and token `flotilla login` stored',
  options,
  help: `Usage: flotilla logout

Removes the config file \`flotilla login\` wrote ($FLOTILLA_CONFIG, else
$XDG_CONFIG_HOME/flotilla/config.json, else ~/.config/flotilla/config.json).
The token stays valid on the hub: revoke it with \`flotilla tokens revoke ID\`.

Exit code: 0 removed (or there was none), 2 a bad command line.
`,
  async run(argv: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, strict: true, options });
    if (values.help) {
      io.stdout.write(this.help);
      return 0;
    }
    if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    const path = configPath(io.env ?? process.env);
    io.stderr.write((await removeConfig(path)) ? `removed ${path}\n` : `not logged in (no ${path})\n`);
    return 0;
  },
};
