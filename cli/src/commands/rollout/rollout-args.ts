import { UsageError } from '../../args/usage.error.js';
import { parseOutputFormat, type OutputFormat } from '../../output/output-format.js';

export const SUBCOMMANDS = ['status', 'history', 'pause', 'resume', 'promote', 'rollback', 'unpin'] as const;
export type Subcommand = (typeof SUBCOMMANDS)[number];

/** `rollout status --wait`: stop after this long by default (as `kubectl rollout status`). */
export const DEFAULT_TIMEOUT = '10m';

/** One `flotilla rollout …` command line, checked: what to ask the hub, nothing left to validate. */
export type RolloutRequest = { format: OutputFormat } & (
  | { sub: 'status'; bundle: string; wait?: { timeoutMs: number; timeout: string; waitApproval: boolean } }
  | { sub: 'history'; bundle: string; limit?: number }
  | { sub: 'pause' | 'resume' | 'unpin'; bundle: string }
  | { sub: 'pause' | 'resume'; gitRepo: string }
  | { sub: 'promote'; bundle: string; partition?: string }
  | { sub: 'rollback'; bundle: string; to: number; until?: 'unpinned' | 'newContent' }
);

/** The flags parseArgs gives (see rollout.command.ts's options). */
export interface RolloutFlags {
  wait?: boolean | undefined;
  timeout?: string | undefined;
  'wait-approval'?: boolean | undefined;
  limit?: string | undefined;
  partition?: string | undefined;
  to?: string | undefined;
  until?: string | undefined;
  gitrepo?: string | undefined;
  output?: string | undefined;
}

/** The subcommands each flag belongs to: any other use is a usage error, not a silently ignored flag. */
const FLAG_OWNERS: Record<string, readonly Subcommand[]> = {
  wait: ['status'],
  timeout: ['status'],
  'wait-approval': ['status'],
  limit: ['history'],
  partition: ['promote'],
  to: ['rollback'],
  until: ['rollback'],
  gitrepo: ['pause', 'resume'],
};

const UNTIL = ['unpinned', 'newContent'] as const;

/** Checks a whole command line before any request; a bad one throws UsageError (exit 2). */
export function parseRolloutArgs(flags: RolloutFlags, positionals: readonly string[]): RolloutRequest {
  const [name, ...operands] = positionals;
  if (name === undefined) throw new UsageError(`expected a subcommand: ${SUBCOMMANDS.join(', ')}`);
  if (!(SUBCOMMANDS as readonly string[]).includes(name)) throw new UsageError(`unknown subcommand "${name}" (expected ${SUBCOMMANDS.join(', ')})`);
  const sub = name as Subcommand;
  for (const [flag, owners] of Object.entries(FLAG_OWNERS)) {
    if (flags[flag as keyof RolloutFlags] !== undefined && !owners.includes(sub)) throw new UsageError(`--${flag} is for rollout ${owners.join(' and ')}`);
  }
  const format = parseOutputFormat(flags.output);
  if (flags.gitrepo !== undefined) {
    if (operands.length) throw new UsageError(`rollout ${sub} takes a BUNDLE or --gitrepo NAME, not both`);
    if (flags.gitrepo === '') throw new UsageError('--gitrepo needs a NAME');
    return { format, sub: sub as 'pause' | 'resume', gitRepo: flags.gitrepo };
  }
  if (operands.length !== 1) throw new UsageError(`rollout ${sub} takes one BUNDLE${sub === 'pause' || sub === 'resume' ? ' (or --gitrepo NAME)' : ''}`);
  const bundle = operands[0]!;
  switch (sub) {
    case 'status':
      return { format, sub, bundle, ...(flags.wait ? { wait: waitOptions(flags) } : noWaitFlags(flags)) };
    case 'history':
      return { format, sub, bundle, ...(flags.limit === undefined ? {} : { limit: positiveInteger(flags.limit, '--limit') }) };
    case 'promote':
      if (flags.partition === '') throw new UsageError('--partition needs a NAME');
      return { format, sub, bundle, ...(flags.partition === undefined ? {} : { partition: flags.partition }) };
    case 'rollback':
      if (flags.to === undefined) throw new UsageError('rollout rollback needs --to SEQ (a history entry, see `flotilla rollout history BUNDLE`)');
      if (flags.until !== undefined && !(UNTIL as readonly string[]).includes(flags.until)) throw new UsageError(`--until must be unpinned or newContent (got "${flags.until}")`);
      return { format, sub, bundle, to: positiveInteger(flags.to, '--to'), ...(flags.until === undefined ? {} : { until: flags.until as 'unpinned' | 'newContent' }) };
    default:
      return { format, sub, bundle };
  }
}

function waitOptions(flags: RolloutFlags) {
  const timeout = flags.timeout ?? DEFAULT_TIMEOUT;
  return { timeout, timeoutMs: parseDuration(timeout, '--timeout'), waitApproval: flags['wait-approval'] ?? false };
}

function noWaitFlags(flags: RolloutFlags): object {
  if (flags.timeout !== undefined) throw new UsageError('--timeout is for rollout status --wait');
  if (flags['wait-approval'] !== undefined) throw new UsageError('--wait-approval is for rollout status --wait');
  return {};
}

/** A history seq or a count: digits, at least 1 (`--to 0`, `--to -1`, `--to 2.5`, `--to two` are usage errors). */
export function positiveInteger(text: string, flag: string): number {
  const n = Number(text);
  if (!/^[0-9]+$/.test(text) || !Number.isSafeInteger(n) || n < 1) throw new UsageError(`${flag} must be a positive integer (got "${text}")`);
  return n;
}

/** `90s`, `10m`, `1h30m` (as kubectl's --timeout) in milliseconds; `0` waits without a limit. */
export function parseDuration(text: string, flag: string): number {
  if (text === '0') return 0;
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(text);
  if (!text || !m) throw new UsageError(`${flag} must be a duration such as 90s, 10m or 1h30m, or 0 for none (got "${text}")`);
  const [, h = '0', min = '0', s = '0'] = m;
  return ((Number(h) * 60 + Number(min)) * 60 + Number(s)) * 1000;
}
