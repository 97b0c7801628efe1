import { parseArgs } from 'node:util';
import { UsageError } from '../args/usage.error.js';
import type { CliIo, Command } from '../command.types.js';
import { driftedResources, formatDeploymentDiff } from '../diff/deployment-diff.format.js';
import { findDeployment } from '../diff/find-deployment.js';
import { connectHub } from '../hub/connect-hub.js';
import { HUB_OPTIONS, HUB_OPTIONS_HELP } from '../hub/hub-target.js';
import { OUTPUT_OPTIONS, outputHelp, parseOutputFormat, writeData } from '../output/output-format.js';

/** Exit code when drift was found: 1 already means an error here, so not diff(1)'s 1. */
export const DRIFT_EXIT_CODE = 3;

const options = {
  cluster: { type: 'string', short: 'c' },
  ...OUTPUT_OPTIONS,
  ...HUB_OPTIONS,
  help: { type: 'boolean', short: 'h' },
} as const;

export const diffCommand: Command = {
  name: 'diff',
  summary: 'show the per-field drift of a bundle on one cluster, as its agent last reported it',
  options,
  help: `Usage: flotilla diff BUNDLE --cluster NAME [-o text|json|yaml]

Prints, for every object of BUNDLE on cluster NAME that differs from what
Git says, "Kind namespace/name (State)" and one line per field:
"path: desired → live" (values as JSON; Secret values come redacted from the
hub). This is the drift the agent last reported: the agent corrects drift on
its own, so what is shown may already be put back.

Options:
  -c, --cluster NAME       the cluster (its name, as \`flotilla clusters\` shows)
${outputHelp('text', 27, "json and yaml: the hub's deployment with its resources")}
  -h, --help               this help
${HUB_OPTIONS_HELP}

Exit code: 0 no drift, ${DRIFT_EXIT_CODE} drift found (like diff(1)'s 1, which here means an
error), 1 an unknown bundle or cluster, a bundle not deployed there, or the
hub refused or cannot be reached, 2 a bad command line.
`,
  async run(argv: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, strict: true, options });
    if (values.help) {
      io.stdout.write(this.help);
      return 0;
    }
    if (positionals.length !== 1) throw new UsageError('expected one BUNDLE');
    if (!values.cluster) throw new UsageError('--cluster NAME is required');
    const format = parseOutputFormat(values.output);
    const deployment = await findDeployment(await connectHub(values, io), positionals[0]!, values.cluster);
    if (format === 'human') io.stdout.write(formatDeploymentDiff(deployment));
    else writeData(io, format, deployment);
    return driftedResources(deployment).length > 0 ? DRIFT_EXIT_CODE : 0;
  },
};
