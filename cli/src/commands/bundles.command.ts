import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { determineKind, discoverBundles } from '@flotilla/render';
import { UsageError } from '../args/usage.error.js';
import type { CliIo, Command } from '../command.types.js';
import { OUTPUT_OPTIONS, outputHelp, parseOutputFormat, writeData } from '../output/output-format.js';

const options = {
  path: { type: 'string', short: 'p', multiple: true },
  'name-prefix': { type: 'string' },
  ...OUTPUT_OPTIONS,
  help: { type: 'boolean', short: 'h' },
} as const;

export const bundlesCommand: Command = {
  name: 'bundles',
  options,
  summary: 'list the bundles discovery finds in a directory tree (as fleet apply finds them)',
  help: `Usage: flotilla bundles <dir> [options]

Walks <dir> as Fleet's \`fleet apply\` does (fleet.yaml files, .fleetignore,
nested bundles) and prints one line per bundle: its name, kind (helm,
kustomize or raw) and path relative to <dir>.

Options:
  -p, --path GLOB             only these paths (globs relative to <dir>, repeatable; default: <dir> itself)
      --name-prefix NAME      prefix of the bundle names, as Fleet uses the GitRepo's name (default: the directory's name)
${outputHelp('text', 30)}
  -h, --help                  this help
`,
  async run(argv: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, strict: true, options });
    if (values.help) {
      io.stdout.write(this.help);
      return 0;
    }
    if (positionals.length !== 1) throw new UsageError('expected exactly one directory');
    const format = parseOutputFormat(values.output);
    const { bundles, warnings } = await discoverBundles(positionals[0]!, {
      ...(values.path ? { paths: values.path } : {}),
      namePrefix: values['name-prefix'] ?? basename(resolve(positionals[0]!)),
    });
    for (const w of warnings) io.stderr.write(`warning: ${w.location.file ? `${w.location.file}: ` : ''}${w.message}\n`);
    const rows = bundles.map((b) => ({ name: b.name, kind: determineKind(b.files, b.fleetYaml), path: b.path }));
    if (format !== 'human') writeData(io, format, rows);
    else for (const r of rows) io.stdout.write(`${r.name}\t${r.kind}\t${r.path}\n`);
    return 0;
  },
};
