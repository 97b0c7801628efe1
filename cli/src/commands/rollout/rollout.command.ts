import { parseArgs } from 'node:util';
import type { CliIo, Command } from '../../command.types.js';
import { connectHub } from '../../hub/connect-hub.js';
import type { HubClient } from '../../hub/hub.client.js';
import { HubError, HubUnreachableError } from '../../hub/hub.error.js';
import { HUB_OPTIONS, HUB_OPTIONS_HELP } from '../../hub/hub-target.js';
import { outputHelp, OUTPUT_OPTIONS, writeData } from '../../output/output-format.js';
import type { BundleRollout, Rollout } from './rollout-api.types.js';
import { DEFAULT_TIMEOUT, parseRolloutArgs, SUBCOMMANDS, type RolloutRequest } from './rollout-args.js';
import { formatHistory, formatRolloutStatus } from './rollout-status.format.js';
import { ROLLOUT_EXIT, waitForRollout } from './rollout-wait.js';

const options = {
  wait: { type: 'boolean', short: 'w' },
  timeout: { type: 'string' },
  'wait-approval': { type: 'boolean' },
  limit: { type: 'string' },
  partition: { type: 'string', short: 'p' },
  to: { type: 'string' },
  until: { type: 'string' },
  gitrepo: { type: 'string' },
  ...OUTPUT_OPTIONS,
  ...HUB_OPTIONS,
  help: { type: 'boolean', short: 'h' },
} as const;

export const rolloutCommand: Command = {
  name: 'rollout',
  summary: 'show, wait for, pause, resume, promote and roll back the rollout of a bundle',
  options,
  subcommands: SUBCOMMANDS,
  help: `Usage: flotilla rollout status BUNDLE [--wait [--timeout 10m] [--wait-approval]] [-o text|json|yaml]
       flotilla rollout history BUNDLE [--limit N] [-o table|json|yaml]
       flotilla rollout pause|resume BUNDLE | --gitrepo NAME
       flotilla rollout promote BUNDLE [--partition NAME]
       flotilla rollout rollback BUNDLE --to SEQ [--until newContent|unpinned]
       flotilla rollout unpin BUNDLE

status    the current rollout: state, message, pause and pin, one row per partition
          (NAME STATE CLUSTERS NOT-READY MAX-UNAVAIL APPROVAL), failed clusters under it
history   the bundle's history entries, newest first (SEQ is what rollback --to takes)
pause     deploy nothing new to the bundle's clusters (what runs stays); with
          --gitrepo, every bundle of that GitRepo
resume    undo pause (a pause by fleet.yaml stays until fleet.yaml says otherwise)
promote   start a partition that waits for approval, or go on past a halted one
          (default: the first such partition)
rollback  roll every cluster back to entry SEQ's revision (with the bundle's
          strategy) and pin the bundle there
unpin     end a rollback's pin: the bundle rolls to its own content again

Options:
  -w, --wait               status: read the rollout every 2 s until it is over (exit codes below)
      --timeout DURATION   status --wait: give up after this long, e.g. 90s, 10m, 1h (default ${DEFAULT_TIMEOUT}; 0: never)
      --wait-approval      status --wait: also wait while the rollout waits for approval or is
                           paused (someone else promotes or resumes) instead of exiting ${ROLLOUT_EXIT.held}
      --limit N            history: only the N newest entries (default: all)
  -p, --partition NAME     promote: the partition to promote
      --to SEQ             rollback: the history entry to return to (a positive integer)
      --until WHEN         rollback: newContent (default: the pin ends with the bundle's next
                           content, e.g. a new commit) or unpinned (only unpin ends it)
      --gitrepo NAME       pause, resume: every bundle of this GitRepo instead of one bundle
${outputHelp('text', 27, "json and yaml: the hub's objects (history: a list of entries)")}
  -h, --help               this help
${HUB_OPTIONS_HELP}

Exit code: 0 done (status --wait: the rollout completed), 1 the hub refused (an
unknown bundle, partition or history entry, nothing to promote, a refused token)
or cannot be reached, 2 a bad command line; status --wait only: ${ROLLOUT_EXIT.halted} the rollout
halted, ${ROLLOUT_EXIT.held} it waits for approval or is paused, ${ROLLOUT_EXIT.timeout} --timeout passed. The last view
is printed on stdout, why the wait ended on stderr.
`,
  async run(argv: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, strict: true, options });
    if (values.help) {
      io.stdout.write(this.help);
      return 0;
    }
    const request = parseRolloutArgs(values, positionals);
    return runRollout(await connectHub(values, io), request, io);
  },
};

const path = (bundle: string, rest = '') => `api/v1/bundles/${encodeURIComponent(bundle)}/${rest}`;

async function runRollout(hub: HubClient, request: RolloutRequest, io: CliIo): Promise<number> {
  const print = (view: BundleRollout, line: string) => (request.format === 'human' ? io.stdout.write(`${line}\n`) : writeData(io, request.format, view));
  switch (request.sub) {
    case 'status':
      return status(hub, request, io);
    case 'history': {
      const items: Rollout[] = [];
      for await (const r of hub.items<Rollout>(path(request.bundle, 'rollouts'))) {
        items.push(r);
        if (items.length === request.limit) break;
      }
      if (request.format !== 'human') writeData(io, request.format, items);
      else if (items.length === 0) io.stderr.write(`bundle ${request.bundle} has no history\n`);
      else io.stdout.write(formatHistory(items));
      return 0;
    }
    case 'pause':
    case 'resume': {
      if ('gitRepo' in request) {
        await hub.post(`api/v1/gitrepos/${encodeURIComponent(request.gitRepo)}/rollout/${request.sub}`, undefined);
        if (request.format === 'human') io.stdout.write(`rollouts of GitRepo ${request.gitRepo} ${request.sub}d\n`);
        else writeData(io, request.format, { gitRepo: request.gitRepo, paused: request.sub === 'pause' });
        return 0;
      }
      const view = await hub.post<BundleRollout>(path(request.bundle, `rollout/${request.sub}`), undefined);
      const still = request.sub === 'resume' && view.paused ? ` (still paused by ${view.pausedBy.join(', ')})` : '';
      print(view, `rollouts of ${view.bundle} ${request.sub}d${still}`);
      return 0;
    }
    case 'promote': {
      const view = await hub.post<BundleRollout>(path(request.bundle, 'rollout/promote'), request.partition === undefined ? {} : { partition: request.partition });
      const r = view.rollout!;
      print(view, `rollout #${r.seq} of ${view.bundle}: partition "${request.partition ?? r.promoted.at(-1)}" promoted`);
      return 0;
    }
    case 'rollback': {
      const view = await hub.post<BundleRollout>(path(request.bundle, 'rollout/rollback'), { to: request.to, ...(request.until ? { until: request.until } : {}) });
      print(view, `${view.bundle} rolled back to #${request.to}: rollout #${view.rollout?.seq} ${view.rollout?.state}, pinned until ${view.pinned?.until ?? 'newContent'}`);
      return 0;
    }
    case 'unpin': {
      const view = await hub.post<BundleRollout>(path(request.bundle, 'rollout/unpin'), undefined);
      print(view, `${view.bundle} unpinned${view.rollout ? `: rollout #${view.rollout.seq} ${view.rollout.state}` : ''}`);
      return 0;
    }
  }
}

async function status(hub: HubClient, request: Extract<RolloutRequest, { sub: 'status' }>, io: CliIo): Promise<number> {
  const read = () => hub.get<BundleRollout>(path(request.bundle, 'rollout'));
  const show = (view: BundleRollout) => (request.format === 'human' ? io.stdout.write(formatRolloutStatus(view)) : writeData(io, request.format, view));
  if (!request.wait) {
    show(await read());
    return 0;
  }
  const { view, end } = await waitForRollout(read, {
    ...request.wait,
    onChange: (v) => v.rollout && io.stderr.write(`rollout #${v.rollout.seq} ${v.rollout.state}${v.rollout.message ? `: ${v.rollout.message}` : ''}\n`),
    // A hub restarting or behind a proxy that has no upstream for a moment: keep waiting.
    transient: (e) => e instanceof HubUnreachableError || (e instanceof HubError && [502, 503, 504].includes(e.status)),
    onRetry: (e) => io.stderr.write(`warning: ${(e as Error).message}; still waiting\n`),
  });
  show(view);
  if (end.message) io.stderr.write(end.reason ? `flotilla rollout status: ${end.message} [${end.reason}]\n` : `${end.message}\n`);
  return end.code;
}
