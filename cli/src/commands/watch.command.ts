import { parseArgs } from 'node:util';
import { UsageError } from '../args/usage.error.js';
import type { CliIo, Command } from '../command.types.js';
import { connectHub } from '../hub/connect-hub.js';
import { HubError } from '../hub/hub.error.js';
import { HUB_OPTIONS, HUB_OPTIONS_HELP } from '../hub/hub-target.js';
import { SseParser } from '../hub/sse.parser.js';

const options = {
  kind: { type: 'string', short: 'k' },
  bundle: { type: 'string', short: 'b' },
  cluster: { type: 'string', short: 'c' },
  gitrepo: { type: 'string' },
  severity: { type: 'string' },
  after: { type: 'string' },
  count: { type: 'string' },
  output: { type: 'string', short: 'o' },
  ...HUB_OPTIONS,
  help: { type: 'boolean', short: 'h' },
} as const;

/** A fleet event as the stream sends it (docs/events.md). */
interface StreamedEvent {
  id: string;
  kind: string;
  at: string;
  bundle: string;
  cluster: string;
  gitRepo: string;
  severity: string;
  message: string;
}

/** Waits before reconnecting after the stream ended, doubling up to this (ms). */
const MAX_BACKOFF_MS = 10_000;

/** One line per event for a person (pure). */
export function formatEvent(e: StreamedEvent): string {
  const where = [e.bundle, e.cluster].filter(Boolean).join(' ');
  return `${e.at}  ${e.severity.padEnd(7)}  ${e.kind.padEnd(21)}  ${where ? `${where}  ` : ''}${e.message}\n`;
}

export const watchCommand: Command = {
  name: 'watch',
  summary: 'follow the fleet event stream live (rollouts, deployment states, drift, presence)',
  options,
  help: `Usage: flotilla watch [-k KINDS] [-b BUNDLE] [-c CLUSTER] [--gitrepo NAME] [--severity LEVEL] [--after ID] [--count N] [-o text|json]

Prints the hub's fleet events as they happen (GET /api/v1/events, Server-Sent
Events), one per line; reconnects by itself when the stream breaks and goes on
after the last event it printed (Last-Event-ID), so nothing is lost or printed
twice. Stops with Ctrl-C, or after --count events.

Options:
  -k, --kind KINDS         comma-separated kinds, exact or a prefix: rollout.*,drift.detected
  -b, --bundle BUNDLE      only events of this bundle
  -c, --cluster CLUSTER    only events of this cluster (by name)
      --gitrepo NAME       only events of this GitRepo's bundles
      --severity LEVEL     info, warning or error
      --after ID           start after this event id (default: events from now on)
      --count N            exit after N events
  -o, --output FORMAT      text (default) or json (one event per line)
  -h, --help               this help
${HUB_OPTIONS_HELP}

Exit code: 0 after --count events, 1 the hub refused (a bad filter, a refused token) or
cannot be reached at the start, 2 a bad command line.
`,
  async run(argv: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, strict: true, options });
    if (values.help) {
      io.stdout.write(this.help);
      return 0;
    }
    if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    const format = values.output ?? 'text';
    if (format !== 'text' && format !== 'json') throw new UsageError(`--output "${format}": must be text or json`);
    const count = values.count === undefined ? Infinity : Number(values.count);
    if (values.count !== undefined && (!Number.isInteger(count) || count < 1)) throw new UsageError(`--count "${values.count}": must be a positive integer`);
    if (values.after !== undefined && !/^\d{1,19}$/.test(values.after)) throw new UsageError(`--after "${values.after}": must be an event id (a number)`);
    const hub = await connectHub(values, io);
    const query = { kind: values.kind, bundle: values.bundle, cluster: values.cluster, gitRepo: values.gitrepo, severity: values.severity };
    let lastId = values.after;
    let printed = 0;
    let backoff = 500;
    let connected = false;
    const controller = new AbortController();
    for (;;) {
      try {
        const res = await hub.openStream('api/v1/events', query, lastId ? { 'last-event-id': lastId } : {}, controller.signal);
        connected = true;
        backoff = 500;
        const parser = new SseParser();
        const decoder = new TextDecoder();
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          for (const record of parser.push(decoder.decode(chunk, { stream: true }))) {
            const event = JSON.parse(record.data) as StreamedEvent;
            lastId = record.id ?? event.id;
            io.stdout.write(format === 'json' ? `${record.data}\n` : formatEvent(event));
            if (++printed >= count) {
              controller.abort();
              return 0;
            }
          }
        }
      } catch (error) {
        // A refusal (bad filter, token) is final; so is failing to connect at all. A broken stream reconnects.
        if (error instanceof HubError || !connected) throw error;
        if (controller.signal.aborted) return 0;
      }
      io.stderr.write(`flotilla watch: the stream ended; reconnecting after event ${lastId ?? '(none yet)'}\n`);
      await new Promise((r) => setTimeout(r, backoff));
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    }
  },
};
