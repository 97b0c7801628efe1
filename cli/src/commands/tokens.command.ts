import { parseArgs } from 'node:util';
import { UsageError } from '../args/usage.error.js';
import type { CliIo, Command } from '../command.types.js';
import { connectHub } from '../hub/connect-hub.js';
import type { TokenItem } from '../hub/hub-api.types.js';
import type { HubClient } from '../hub/hub.client.js';
import { HUB_OPTIONS, HUB_OPTIONS_HELP } from '../hub/hub-target.js';
import { formatAge } from '../output/age.format.js';
import { OUTPUT_OPTIONS, outputHelp, parseOutputFormat, writeData, type OutputFormat } from '../output/output-format.js';
import { formatTable } from '../output/table.format.js';

const ROLES = ['admin', 'readonly'];
const STATUSES = ['active', 'revoked'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const options = {
  role: { type: 'string' },
  status: { type: 'string' },
  ...OUTPUT_OPTIONS,
  ...HUB_OPTIONS,
  help: { type: 'boolean', short: 'h' },
} as const;

interface Args {
  operands: string[];
  format: OutputFormat;
  role?: string | undefined;
  status?: string | undefined;
}

const SUBCOMMANDS: Record<string, (hub: HubClient, args: Args, io: CliIo) => Promise<number>> = { create, list, revoke };

export const tokensCommand: Command = {
  name: 'tokens',
  summary: 'create, list and revoke the hub\'s API tokens (admin)',
  options,
  subcommands: Object.keys(SUBCOMMANDS),
  help: `Usage: flotilla tokens create NAME --role admin|readonly
       flotilla tokens list [--status active|revoked] [-o table|json|yaml]
       flotilla tokens revoke ID

create   makes a token and prints its secret on stdout, once: the hub keeps only a hash.
list     every token, newest first: id, name, role, age, last use, status (no secret).
revoke   revokes the token with this ID at once; without FLOTILLA_BOOTSTRAP_TOKEN the hub
         refuses to revoke the last active admin token (LastAdminToken).

Options:
      --role ROLE          create: admin (everything) or readonly (GET only)
      --status STATUS      list: only active or only revoked tokens
${outputHelp('table')}
  -h, --help               this help
${HUB_OPTIONS_HELP}

Exit code: 0 done, 1 the hub refused (e.g. a readonly token, an unknown ID) or cannot be reached, 2 a bad command line.
`,
  async run(argv: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, strict: true, options });
    if (values.help) {
      io.stdout.write(this.help);
      return 0;
    }
    const [name, ...operands] = positionals;
    const sub = name === undefined ? undefined : SUBCOMMANDS[name];
    if (!sub) throw new UsageError(name === undefined ? 'expected create, list or revoke' : `unknown subcommand "${name}" (expected create, list or revoke)`);
    const args: Args = { operands, format: parseOutputFormat(values.output), role: values.role, status: values.status };
    if (name !== 'create' && args.role !== undefined) throw new UsageError('--role is for tokens create');
    if (name !== 'list' && args.status !== undefined) throw new UsageError('--status is for tokens list');
    check(name!, args);
    return sub(await connectHub(values, io), args, io);
  },
};

/** Everything about the command line, checked before any request. */
function check(name: string, args: Args): void {
  const count = { create: 1, list: 0, revoke: 1 }[name];
  if (args.operands.length !== count) throw new UsageError(`tokens ${name} takes ${count === 0 ? 'no argument' : name === 'create' ? 'one NAME' : 'one ID'}`);
  if (name === 'create' && !ROLES.includes(args.role ?? '')) throw new UsageError(`tokens create needs --role admin or --role readonly${args.role === undefined ? '' : ` (got "${args.role}")`}`);
  if (args.status !== undefined && !STATUSES.includes(args.status)) throw new UsageError(`--status must be active or revoked (got "${args.status}")`);
  if (name === 'revoke' && !UUID.test(args.operands[0]!)) throw new UsageError(`"${args.operands[0]}" is not a token ID (a UUID, see \`flotilla tokens list\`)`);
}

async function create(hub: HubClient, args: Args, io: CliIo): Promise<number> {
  const created = await hub.post<TokenItem & { token: string }>('api/v1/api-tokens', { name: args.operands[0], role: args.role });
  if (args.format === 'human') io.stdout.write(`${created.token}\n`);
  else writeData(io, args.format, created);
  io.stderr.write(`created ${created.role} token "${created.name}" (${created.id}); its secret is shown only this once: store it now (e.g. \`flotilla login --hub ${hub.target.url.href} --token-stdin\`)\n`);
  return 0;
}

async function list(hub: HubClient, args: Args, io: CliIo): Promise<number> {
  // Only the listed fields: whatever else a hub might add never reaches the output.
  const tokens = (await hub.list<TokenItem>('api/v1/api-tokens', { status: args.status })).map(
    ({ id, name, role, createdAt, lastUsedAt, revoked }): TokenItem => ({ id, name, role, createdAt, lastUsedAt, revoked }),
  );
  if (args.format !== 'human') writeData(io, args.format, tokens);
  else if (tokens.length === 0) io.stderr.write('no tokens\n');
  else {
    const now = new Date();
    const rows = tokens.map((t) => [t.id, t.name, t.role, formatAge(t.createdAt, now), formatAge(t.lastUsedAt, now), t.revoked ? 'revoked' : 'active']);
    io.stdout.write(formatTable(['ID', 'NAME', 'ROLE', 'AGE', 'LAST USED', 'STATUS'], rows));
  }
  return 0;
}

async function revoke(hub: HubClient, args: Args, io: CliIo): Promise<number> {
  const id = args.operands[0]!;
  await hub.delete(`api/v1/api-tokens/${encodeURIComponent(id)}`);
  if (args.format === 'human') io.stdout.write(`revoked token ${id}\n`);
  else writeData(io, args.format, { id, revoked: true });
  return 0;
}
