/**
 * A command that could not do its work for a reason the user can act on (the
 * hub refused, an unknown name, an unreachable hub): printed by cli.ts as
 * `flotilla <cmd>: <message> [<reason>]`, exit code 1.
 */
export class CliError extends Error {
  override name = 'CliError';

  constructor(
    message: string,
    /** A stable code for scripts and searches, e.g. `ClusterNotFound`. */
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
