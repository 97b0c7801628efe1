import { CliError } from '../errors/cli.error.js';

/** The hub answered with an error: its HTTP status, its reason code (`error`) and message, and the field it names. */
export class HubError extends CliError {
  override name = 'HubError';

  constructor(
    readonly status: number,
    reason: string,
    message: string,
    readonly field?: string,
  ) {
    super(message, reason);
  }
}

/** No answer from the hub: connection refused, unknown host, timeout, or an answer too large to read. */
export class HubUnreachableError extends CliError {
  override name = 'HubUnreachableError';
}
