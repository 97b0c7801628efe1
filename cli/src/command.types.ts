/** Where a command writes: stdout for its result only, stderr for everything else. */
export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** One `flotilla <name>` command; one file per command, wired in cli.ts. */
export interface Command {
  readonly name: string;
  /** One line for `flotilla --help`. */
  readonly summary: string;
  /** The command's `--help`. */
  readonly help: string;
  /** Returns the exit code; throws UsageError for a bad command line, RenderError for bad input. */
  run(argv: string[], io: CliIo): Promise<number>;
}
