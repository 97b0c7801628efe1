import { stringify } from 'yaml';
import { UsageError } from '../args/usage.error.js';
import type { CliIo } from '../command.types.js';

/** `-o`: the human form (`text`, or `table` for lists: the same thing), or data as JSON or YAML. */
export type OutputFormat = 'human' | 'json' | 'yaml';

/** The `-o, --output` option every command shares. */
export const OUTPUT_OPTIONS = { output: { type: 'string', short: 'o' } } as const;

/**
 * Help line for {@link OUTPUT_OPTIONS}: `human` is what the default is called
 * for this command, `column` where the command's help starts descriptions.
 */
export function outputHelp(human: 'text' | 'table', column = 27, note = ''): string {
  return `${'  -o, --output FORMAT'.padEnd(column)}${human} (default), json or yaml${note ? `; ${note}` : ''}`;
}

/** Parses `-o`; a value other than text, table, json or yaml is a UsageError. */
export function parseOutputFormat(value: string | undefined): OutputFormat {
  if (value === undefined || value === 'text' || value === 'table') return 'human';
  if (value === 'json' || value === 'yaml') return value;
  throw new UsageError(`--output must be text, table, json or yaml (got "${value}")`);
}

/** Writes `data` as JSON (2-space indent) or YAML on stdout. */
export function writeData(io: CliIo, format: 'json' | 'yaml', data: unknown): void {
  io.stdout.write(format === 'json' ? `${JSON.stringify(data, null, 2)}\n` : stringify(data, { lineWidth: 0 }));
}
