import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { UsageError } from '../args/usage.error.js';
import type { CliIo, Command } from '../command.types.js';
import { connectHub } from '../hub/connect-hub.js';
import { HubError } from '../hub/hub.error.js';
import { HUB_OPTIONS, HUB_OPTIONS_HELP } from '../hub/hub-target.js';
import { OUTPUT_OPTIONS, outputHelp, parseOutputFormat, writeData } from '../output/output-format.js';

/** Largest BundleSet file read (the hub's body limit is of the same order). */
const MAX_FILE_BYTES = 1024 * 1024;

interface Preview {
  counts: { paramSets: number; create: number; update: number; delete: number; unchanged: number };
  truncated: boolean;
  paramSets: unknown[];
  create: Array<{ name: string; clusters: string[] }>;
  update: Array<{ name: string; clusters: string[]; diff: Array<{ op: string; path: string; value?: unknown }> }>;
  delete: Array<{ name: string; clusters: string[] }>;
  unchanged: string[];
  skipped: { update: string[]; delete: string[] };
  conflicts: Array<{ name: string; owner: string }>;
  hold: { reason: string; message: string } | null;
  error: { result: string; message: string } | null;
}

const options = { ...HUB_OPTIONS, ...OUTPUT_OPTIONS, help: { type: 'boolean', short: 'h' } } as const;

export const bundlesetCommand: Command = {
  name: 'bundleset',
  options,
  subcommands: ['preview'],
  summary: 'preview what a BundleSet would create, update and delete (changing nothing)',
  help: `Usage: flotilla bundleset preview <file> [options]

Sends the BundleSet in <file> (YAML or JSON: generators, template, syncPolicy,
and optionally name, to compare with that saved BundleSet) to the hub's
POST /api/v1/bundlesets/preview and prints what an evaluation would do now:
the bundles it would create, update (with the spec diff) and delete, the
clusters each reaches, and why it would stop (an error, an empty result, a
deletion waiting for approval). Nothing is changed.

Options:
${outputHelp('text', 23, "json and yaml: the hub's answer")}
  -h, --help           this help
${HUB_OPTIONS_HELP}

Exit code: 0 the run would go ahead, 1 it would stop or the hub refused the
file (the message names the field), 2 a bad command line.
`,
  async run(argv: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, strict: true, options });
    if (values.help) {
      io.stdout.write(this.help);
      return 0;
    }
    if (positionals[0] !== 'preview' || positionals.length !== 2) throw new UsageError('expected: preview <file>');
    const format = parseOutputFormat(values.output);
    const hub = await connectHub(values, io);
    const file = positionals[1]!;
    const text = await readFile(file, 'utf8');
    if (Buffer.byteLength(text) > MAX_FILE_BYTES) {
      io.stderr.write(`flotilla bundleset: ${file} is over ${MAX_FILE_BYTES} bytes\n`);
      return 1;
    }
    let body: unknown;
    try {
      body = parseYaml(text, { maxAliasCount: 100 });
    } catch (error) {
      const line = (error as { linePos?: Array<{ line: number }> }).linePos?.[0]?.line;
      io.stderr.write(`flotilla bundleset: ${file}${line ? `:${line}` : ''}: ${(error as Error).message.split('\n')[0]}\n`);
      return 1;
    }
    let answer: Preview;
    try {
      answer = await hub.post<Preview>('api/v1/bundlesets/preview', body);
    } catch (error) {
      // A refused file names the file; a refused token or an unreachable hub is cli.ts's to print.
      if (!(error instanceof HubError) || error.status === 401) throw error;
      io.stderr.write(`flotilla bundleset: ${file}: the hub refused it (${error.status}): ${error.message} [${error.reason}]\n`);
      return 1;
    }
    if (format !== 'human') writeData(io, format, answer);
    else io.stdout.write(describe(answer));
    return answer.error || answer.hold ? 1 : 0;
  },
};

function describe(p: Preview): string {
  const out: string[] = [`${p.counts.paramSets} parameter set(s)`];
  if (p.error) out.push(`would stop: ${p.error.result}: ${p.error.message}`);
  if (p.hold) out.push(`would change nothing: ${p.hold.reason}: ${p.hold.message}`);
  const reach = (clusters: string[]) => (clusters.length ? ` → ${clusters.join(', ')}` : ' → no cluster');
  for (const c of p.create) out.push(`create  ${c.name}${reach(c.clusters)}`);
  for (const u of p.update) {
    out.push(`update  ${u.name}${reach(u.clusters)}`);
    for (const op of u.diff) out.push(`          ${op.op} ${op.path}${'value' in op ? ` = ${JSON.stringify(op.value)}` : ''}`);
  }
  for (const d of p.delete) out.push(`delete  ${d.name}${reach(d.clusters)}`);
  if (p.counts.unchanged) out.push(`unchanged: ${p.counts.unchanged}`);
  if (p.truncated) out.push(`(lists cut at 1,000: ${p.counts.create} to create, ${p.counts.update} to update, ${p.counts.delete} to delete in all)`);
  if (p.skipped.update.length || p.skipped.delete.length) out.push(`not allowed by the policy: ${p.skipped.update.length} update(s), ${p.skipped.delete.length} deletion(s)`);
  for (const c of p.conflicts) out.push(`conflict: ${c.name} is owned by ${c.owner}`);
  return `${out.join('\n')}\n`;
}
