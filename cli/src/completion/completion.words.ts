import type { Command } from '../command.types.js';

/** What the shell offers after `flotilla <name>`. */
export interface CompletionEntry {
  name: string;
  /** Words for the first argument (`tokens create`), if the command has any. */
  subcommands: string[];
  /** Every flag, long and short (`--output`, `-o`), and `--help`. */
  flags: string[];
}

/** Values offered after `-o` / `--output` (output/output-format.ts). */
export const OUTPUT_VALUES = ['text', 'table', 'json', 'yaml'];

/** Only these go into a script unquoted: command, subcommand and flag names are plain words. */
const WORD = /^-{0,2}[a-z0-9][a-z0-9-]*$/;

/** The completion data of every command, from the commands' own option tables (so a new command needs nothing here). */
export function completionEntries(commands: readonly Command[]): CompletionEntry[] {
  return commands.map((c) => {
    const flags = Object.entries(c.options).flatMap(([long, o]) => [`--${long}`, ...(o.short ? [`-${o.short}`] : [])]);
    const entry = { name: c.name, subcommands: [...(c.subcommands ?? [])], flags: [...new Set([...flags, '--help'])] };
    for (const word of [entry.name, ...entry.subcommands, ...entry.flags]) {
      if (!WORD.test(word)) throw new Error(`command ${c.name}: "${word}" cannot go into a completion script`);
    }
    return entry;
  });
}
