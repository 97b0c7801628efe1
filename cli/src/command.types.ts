import type { ParseArgsOptionsConfig } from 'node:util';

/** Where a command reads and writes: stdout for its result only, stderr for everything else. */
export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Read by `login --token-stdin`; default process.stdin. */
  stdin?: NodeJS.ReadableStream;
  /** The environment (FLOTILLA_HUB_URL, FLOTILLA_TOKEN, FLOTILLA_CONFIG, XDG_CONFIG_HOME, HOME); default process.env. */
  env?: NodeJS.ProcessEnv;
}

/** One `flotilla <name>` command; one file per command, wired in cli.ts. */
export interface Command {
  readonly name: string;
  /** One line for `flotilla --help`. */
  readonly summary: string;
  /** The command's `--help`. */
  readonly help: string;
  /** The command's parseArgs options: what it parses, and what `flotilla completion` offers. */
  readonly options: ParseArgsOptionsConfig;
  /** Words accepted as the first positional (e.g. `create list revoke`), offered by `flotilla completion`. */
  readonly subcommands?: readonly string[];
  /**
   * Returns the exit code; throws UsageError for a bad command line (exit 2),
   * CliError (HubError, RenderError) for a refused or failed request (exit 1).
   */
  run(argv: string[], io: CliIo): Promise<number>;
}
