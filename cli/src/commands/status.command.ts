import { parseArgs } from 'node:util';
import { UsageError } from '../args/usage.error.js';
import type { CliIo, Command } from '../command.types.js';
import { connectHub } from '../hub/connect-hub.js';
import type { HubClient } from '../hub/hub.client.js';
import { HubError } from '../hub/hub.error.js';
import { HUB_OPTIONS, HUB_OPTIONS_HELP } from '../hub/hub-target.js';
import { OUTPUT_OPTIONS, outputHelp, parseOutputFormat, writeData } from '../output/output-format.js';
import { formatTable } from '../output/table.format.js';
import type { BundleRollout } from './rollout/rollout-api.types.js';
import { formatRolloutStatus } from './rollout/rollout-status.format.js';

const options = { ...OUTPUT_OPTIONS, ...HUB_OPTIONS, help: { type: 'boolean', short: 'h' } } as const;

/** The hub's GET /api/v1/status/bundles item. */
export interface BundleSummary {
  bundle: string;
  gitRepo: string | null;
  total: number;
  counts: Record<string, number>;
  worst: { state: string; reason: string; message: string; cluster: string } | null;
  rollout: { seq: number; state: string; message: string } | null;
}

interface DeploymentItem {
  clusterName: string;
  state: string;
  reason: string;
  message: string;
  appliedRevision: string | null;
  stagedRevision: string;
}

/** The states a person looks at first (the rest are folded into NOT-READY). */
const NOT_READY = ['NotReady', 'Pending', 'OutOfSync', 'Modified', 'WaitApplied', 'ErrApplied'] as const;

/** One row per bundle: READY/TOTAL, the non-Ready counts that are not 0, the worst state and the rollout (pure). */
export function summaryTable(items: readonly BundleSummary[]): string {
  return formatTable(
    ['BUNDLE', 'GITREPO', 'READY', 'NOT READY', 'WORST', 'ROLLOUT'],
    items.map((b) => [
      b.bundle,
      b.gitRepo ?? '-',
      `${b.counts.Ready ?? 0}/${b.total}`,
      NOT_READY.filter((s) => (b.counts[s] ?? 0) > 0).map((s) => `${s}=${b.counts[s]}`).join(',') || '-',
      b.worst && b.worst.state !== 'Ready' ? `${b.worst.state} (${b.worst.cluster}${b.worst.reason ? `: ${b.worst.reason}` : ''})` : b.worst ? 'Ready' : '-',
      b.rollout ? `#${b.rollout.seq} ${b.rollout.state}` : '-',
    ]),
  );
}

export const statusCommand: Command = {
  name: 'status',
  summary: 'the fleet at a glance: every bundle, a GitRepo\'s bundles, or one bundle',
  options,
  help: `Usage: flotilla status [GITREPO|BUNDLE] [-o table|json|yaml]

Without an argument: one row per bundle (BUNDLE GITREPO READY NOT-READY WORST ROLLOUT),
counted by state over all its clusters. With a GitRepo's name: its bundles.
With a bundle's name: its rollout (partitions, what halts or holds it) and the
clusters that are not Ready, with why.

Options:
${outputHelp('table')}
  -h, --help               this help
${HUB_OPTIONS_HELP}

Exit code: 0 shown, 1 no such GitRepo or bundle, the hub refused or cannot be reached, 2 a bad command line.
`,
  async run(argv: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, strict: true, options });
    if (values.help) {
      io.stdout.write(this.help);
      return 0;
    }
    if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`);
    const format = parseOutputFormat(values.output);
    const hub = await connectHub(values, io);
    const name = positionals[0];
    if (name === undefined) return showSummaries(io, format, await hub.list<BundleSummary>('api/v1/status/bundles'));
    const repo = await exists(hub, `api/v1/gitrepos/${encodeURIComponent(name)}`);
    if (repo) return showSummaries(io, format, await hub.list<BundleSummary>('api/v1/status/bundles', { gitRepo: name }));
    if (!(await exists(hub, `api/v1/bundles/${encodeURIComponent(name)}`))) {
      throw new HubError(404, 'NotFound', `no GitRepo or bundle named "${name}"`);
    }
    const rollout = await hub.get<BundleRollout>(`api/v1/bundles/${encodeURIComponent(name)}/rollout`);
    const behind = (await hub.list<DeploymentItem>('api/v1/deployments', { bundle: name })).filter((d) => d.state !== 'Ready');
    if (format !== 'human') {
      writeData(io, format, { rollout, notReady: behind });
      return 0;
    }
    io.stdout.write(formatRolloutStatus(rollout));
    io.stdout.write(
      behind.length === 0
        ? '\nevery cluster is Ready on what it was given\n'
        : `\n${formatTable(['CLUSTER', 'STATE', 'REASON', 'MESSAGE'], behind.map((d) => [d.clusterName, d.state, d.reason || '-', d.message.slice(0, 80) || '-']))}`,
    );
    return 0;
  },
};

function showSummaries(io: CliIo, format: ReturnType<typeof parseOutputFormat>, items: BundleSummary[]): number {
  if (format !== 'human') writeData(io, format, items);
  else if (items.length === 0) io.stderr.write('no bundles\n');
  else io.stdout.write(summaryTable(items));
  return 0;
}

async function exists(hub: HubClient, path: string): Promise<boolean> {
  try {
    await hub.get(path);
    return true;
  } catch (error) {
    if (error instanceof HubError && error.status === 404) return false;
    throw error;
  }
}
