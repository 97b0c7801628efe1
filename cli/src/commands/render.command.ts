import { parseArgs } from 'node:util';
import { customizeForCluster, loadBundleDir, renderBundle, resolveToolSet } from '@flotilla/render';
import { CLUSTER_OPTIONS, CLUSTER_OPTIONS_HELP, clusterFromFlags } from '../args/cluster-args.js';
import { UsageError } from '../args/usage.error.js';
import type { CliIo, Command } from '../command.types.js';
import { toYamlStream } from '../output/yaml-output.js';

const options = { ...CLUSTER_OPTIONS, name: { type: 'string' }, helm: { type: 'string' }, kustomize: { type: 'string' }, help: { type: 'boolean', short: 'h' } } as const;

export const renderCommand: Command = {
  name: 'render',
  options,
  summary: 'render one bundle directory as a cluster with these labels receives it',
  help: `Usage: flotilla render <dir> [options]

Renders the bundle directory <dir> (fleet.yaml, a Helm chart, a kustomization
or raw YAML) with the code the hub uses, for one cluster, and prints the
objects that cluster receives as multi-document YAML on stdout. Errors go to
stderr, naming file and line; the exit code is then 1.

Options:
      --name NAME             bundle name (default: fleet.yaml name, else the directory's base name);
                              also the Helm release name unless fleet.yaml sets helm.releaseName
      --helm PATH             helm binary (default: $FLOTILLA_HELM, else helm on PATH)
      --kustomize PATH        kustomize binary (default: $FLOTILLA_KUSTOMIZE, else kustomize on PATH)
  -h, --help                  this help
${CLUSTER_OPTIONS_HELP}
`,
  async run(argv: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, strict: true, options });
    if (values.help) {
      io.stdout.write(this.help);
      return 0;
    }
    if (positionals.length !== 1) throw new UsageError('expected exactly one bundle directory');
    const cluster = await clusterFromFlags(values);
    const source = await loadBundleDir(positionals[0]!, values.name ? { name: values.name } : {});
    for (const w of source.warnings) io.stderr.write(`warning: ${formatWarning(w)}\n`);
    const customised = customizeForCluster(source.fleetYaml, cluster, source.fleetYamlFile ? { file: source.fleetYamlFile } : {});
    if (!customised.deploy) {
      io.stderr.write(`${source.name}: not deployed to this cluster (${customised.reason})\n`);
      return 0;
    }
    const tools = await resolveToolSet({ ...(values.helm ? { helm: values.helm } : {}), ...(values.kustomize ? { kustomize: values.kustomize } : {}) });
    const { objects } = await renderBundle({ bundleName: source.name, files: source.files, options: customised.options, tools });
    io.stdout.write(toYamlStream(objects));
    return 0;
  },
};

function formatWarning(w: { message: string; location: { file?: string; line?: number; field?: string } }): string {
  const where = [w.location.file, w.location.line].filter((x) => x !== undefined).join(':');
  return [where, w.location.field, w.message].filter(Boolean).join(': ');
}
