import { isRenderError } from '@flotilla/render';
import { UsageError } from './args/usage.error.js';
import { bundlesCommand } from './commands/bundles.command.js';
import { bundlesetCommand } from './commands/bundleset.command.js';
import { renderCommand } from './commands/render.command.js';
import type { CliIo, Command } from './command.types.js';

export type { CliIo } from './command.types.js';

/** Every command, in `--help` order. */
const COMMANDS: readonly Command[] = [renderCommand, bundlesCommand, bundlesetCommand];

const HELP = `Usage: flotilla <command> [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(10)}${c.summary}`).join('\n')}

Run \`flotilla <command> --help\` for a command's options.
`;

/**
 * Runs one command line; returns the exit code: 0 done, 1 bad input (a
 * render error, named by file and line), 2 a bad command line.
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout).write(HELP);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.stderr.write(`flotilla: unknown command "${name}"\n\n${HELP}`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr.write(`flotilla ${name}: ${(error as Error).message}\nRun \`flotilla ${name} --help\` for usage.\n`);
      return 2;
    }
    if (isRenderError(error)) {
      io.stderr.write(`flotilla ${name}: ${error.message} [${error.reason}]\n`);
      return 1;
    }
    throw error;
  }
}
