import { parseArgs } from 'node:util';
import { parseSelectorString, SelectorSyntaxError, type Labels } from '@flotilla/core';
import type { ClusterItem } from '../hub/hub-api.types.js';
import { UsageError } from '../args/usage.error.js';
import type { CliIo, Command } from '../command.types.js';
import { connectHub } from '../hub/connect-hub.js';
import { HUB_OPTIONS, HUB_OPTIONS_HELP } from '../hub/hub-target.js';
import { formatAge } from '../output/age.format.js';
import { OUTPUT_OPTIONS, outputHelp, parseOutputFormat, writeData } from '../output/output-format.js';
import { formatTable } from '../output/table.format.js';

const options = {
  selector: { type: 'string', short: 'l' },
  ...OUTPUT_OPTIONS,
  ...HUB_OPTIONS,
  help: { type: 'boolean', short: 'h' },
} as const;

export const clustersCommand: Command = {
  name: 'clusters',
  summary: 'list the registered clusters, optionally by label selector',
  options,
  help: `Usage: flotilla clusters [-l SELECTOR] [-o table|json|yaml]

Lists every registered cluster (all pages), by name: its connection
(pending, online, offline, revoked), labels, agent version and when the hub
last heard from it. The hub filters by the selector.

Options:
  -l, --selector SELECTOR  label selector as kubectl takes it: env=prod,tier!=db,region in (eu,us),gpu,!legacy
${outputHelp('table')}
  -h, --help               this help
${HUB_OPTIONS_HELP}

Exit code: 0 listed, 1 the hub refused or cannot be reached, 2 a bad command line (e.g. a bad selector).
`,
  async run(argv: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, strict: true, options });
    if (values.help) {
      io.stdout.write(this.help);
      return 0;
    }
    if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    const format = parseOutputFormat(values.output);
    if (values.selector !== undefined) checkSelector(values.selector);
    const hub = await connectHub(values, io);
    const clusters = await hub.list<ClusterItem>('api/v1/clusters', { selector: values.selector });
    if (format !== 'human') writeData(io, format, clusters);
    else if (clusters.length === 0) io.stderr.write('no clusters\n');
    else io.stdout.write(clusterTable(clusters));
    return 0;
  },
};

/** The selector checked here (with the hub's own rules, from @flotilla/core), so a typo is a usage error before any request. */
function checkSelector(selector: string): void {
  try {
    parseSelectorString(selector, '--selector');
  } catch (error) {
    if (error instanceof SelectorSyntaxError) throw new UsageError(`--selector "${selector}": ${error.message}`);
    throw error;
  }
}

export function clusterTable(clusters: readonly ClusterItem[], now = new Date()): string {
  const labels = (l: Labels) =>
    Object.keys(l)
      .sort()
      .map((k) => `${k}=${l[k]}`)
      .join(',');
  return formatTable(
    ['NAME', 'CONNECTION', 'LABELS', 'AGENT', 'LAST SEEN'],
    clusters.map((c) => [c.name, c.connection, labels(c.labels), c.agentVersion, formatAge(c.lastSeenAt, now)]),
  );
}
