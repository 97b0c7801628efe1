import { parseArgs } from 'node:util';
import { UsageError } from '../args/usage.error.js';
import type { CliIo, Command } from '../command.types.js';
import { bashCompletion } from '../completion/bash.completion.js';
import { completionEntries } from '../completion/completion.words.js';
import { zshCompletion } from '../completion/zsh.completion.js';

const SHELLS = { bash: bashCompletion, zsh: zshCompletion };
const options = { help: { type: 'boolean', short: 'h' } } as const;

/** `flotilla completion`, over the registry it is given (cli.ts's, itself included). */
export function completionCommand(commands: () => readonly Command[]): Command {
  return {
    name: 'completion',
    summary: 'print a bash or zsh completion script for every command, subcommand and flag',
    options,
    subcommands: Object.keys(SHELLS),
    help: `Usage: flotilla completion bash|zsh

Prints a completion script on stdout, made from the commands' own options.

  bash:  source <(flotilla completion bash)
         (for good: flotilla completion bash > ~/.local/share/bash-completion/completions/flotilla)
  zsh:   source <(flotilla completion zsh)      (after compinit)
         (for good: flotilla completion zsh > "\${fpath[1]}/_flotilla")

Exit code: 0 printed, 2 a bad command line.
`,
    async run(argv: string[], io: CliIo): Promise<number> {
      const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, strict: true, options });
      if (values.help) {
        io.stdout.write(this.help);
        return 0;
      }
      const shell = positionals[0];
      if (positionals.length !== 1 || (shell !== 'bash' && shell !== 'zsh')) throw new UsageError('expected bash or zsh');
      io.stdout.write(SHELLS[shell](completionEntries(commands())));
      return 0;
    },
  };
}
