import { isRenderError } from '@flotilla/render';
import { UsageError } from './args/usage.error.js';
import { bundlesCommand } from './commands/bundles.command.js';
import { bundlesetCommand } from './commands/bundleset.command.js';
import { clustersCommand } from './commands/clusters.command.js';
import { completionCommand } from './commands/completion.command.js';
import { DRIFT_EXIT_CODE, diffCommand } from './commands/diff.command.js';
import { loginCommand } from './commands/login.command.js';
import { logoutCommand } from './commands/logout.command.js';
import { renderCommand } from './commands/render.command.js';
import { rolloutCommand } from './commands/rollout/rollout.command.js';
import { ROLLOUT_EXIT } from './commands/rollout/rollout-wait.js';
import { tokensCommand } from './commands/tokens.command.js';
import { statusCommand } from './commands/status.command.js';
import { watchCommand } from './commands/watch.command.js';
import { CliError } from './errors/cli.error.js';
import type { CliIo, Command } from './command.types.js';

export type { CliIo } from './command.types.js';

/** Every command, in `--help` order. */
const COMMANDS: readonly Command[] = [
  renderCommand,
  bundlesCommand,
  bundlesetCommand,
  loginCommand,
  logoutCommand,
  clustersCommand,
  tokensCommand,
  diffCommand,
  statusCommand,
  rolloutCommand,
  watchCommand,
  completionCommand(() => COMMANDS),
];

const HELP = `Usage: flotilla <command> [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(12)}${c.summary}`).join('\n')}

Run \`flotilla <command> --help\` for a command's options.

Exit codes:
  0  done
  1  the input or the hub refused (a render error, an unknown name, a refused
     token), or the hub cannot be reached: "flotilla <command>: <message> [<reason>]"
  2  a bad command line (unknown command or flag, a bad value)
  ${DRIFT_EXIT_CODE}  flotilla diff found drift
  ${ROLLOUT_EXIT.halted}  flotilla rollout status --wait: the rollout halted
  ${ROLLOUT_EXIT.held}  flotilla rollout status --wait: the rollout waits for approval or is paused
  ${ROLLOUT_EXIT.timeout}  flotilla rollout status --wait: --timeout passed
`;

/** Runs one command line; returns the exit code (see HELP). */
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
    if (error instanceof CliError || isRenderError(error)) {
      io.stderr.write(`flotilla ${name}: ${error.message} [${error.reason}]\n`);
      return 1;
    }
    throw error;
  }
}
