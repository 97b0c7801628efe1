/**
 * CPU profiling of the hub over the measurement window (run.ts --cpu-profile
 * DIR), and a text summary of a .cpuprofile:
 *
 *   node bench/idle-agents/profile.ts FILE.cpuprofile [--top 25]
 *
 * The hub is started with --inspect=127.0.0.1:0; run.ts connects to the
 * inspector over WebSocket and runs Profiler.start/stop around the window,
 * so the profile holds exactly the idle window (not start-up nor the
 * registration burst). Profiling itself costs some CPU: use it to attribute
 * time, not for the headline numbers.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** Inspector session over WebSocket (Node's global WebSocket client). */
export class Inspector {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
  private readonly socket: WebSocket;
  private constructor(socket: WebSocket) {
    this.socket = socket;
    socket.addEventListener('message', (event) => {
      const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown; error?: { message: string } };
      const waiter = message.id === undefined ? undefined : this.pending.get(message.id);
      if (!waiter) return;
      this.pending.delete(message.id!);
      if (message.error) waiter.reject(new Error(message.error.message));
      else waiter.resolve(message.result);
    });
  }

  /** Connects to the inspector URL a process printed ("Debugger listening on ws://…"). */
  static async fromLogs(logs: string): Promise<Inspector> {
    // The last one: a restarted process printed a new URL.
    const url = [...logs.matchAll(/Debugger listening on (ws:\/\/\S+)/g)].at(-1)?.[1];
    if (!url) throw new Error('the hub printed no inspector URL (was it started with --inspect?)');
    const socket = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      socket.addEventListener('open', () => resolve(), { once: true });
      socket.addEventListener('error', () => reject(new Error(`cannot connect to ${url}`)), { once: true });
    });
    return new Inspector(socket);
  }

  send<T = unknown>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }

  close(): void {
    this.socket.close();
  }
}

function where(url: string): string {
  if (!url) return '(native / V8)';
  if (url.startsWith('node:')) return 'node core';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1]!;
  const repo = /\/work\/[^/]+\/([^/]+\/[^/]+)/.exec(url);
  return repo ? repo[1]! : url;
}

/** Self time by package and by function, and inclusive time of frames of interest. */
export function summarize(profile: CpuProfile, top = 25): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]!;
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const total = profile.endTime - profile.startTime;
  let idle = 0;
  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  const inclusive = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id)!;
    const name = node.callFrame.functionName;
    if (name === '(idle)' || name === '(program)') {
      if (name === '(idle)') idle += us;
      else byPackage.set('(program)', (byPackage.get('(program)') ?? 0) + us);
      continue;
    }
    const pkg = name === '(garbage collector)' ? '(garbage collector)' : where(node.callFrame.url);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
    const fn = `${name || '(anonymous)'} ${where(node.callFrame.url)}:${node.callFrame.lineNumber + 1}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
    // Inclusive: each distinct hub function on the stack gets the sample once.
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const frame = byId.get(cur)!.callFrame;
      if (!/hub\/dist|bench\//.test(frame.url)) continue;
      const key = `${frame.functionName || '(anonymous)'} ${where(frame.url)}:${frame.lineNumber + 1}`;
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + us);
    }
  }
  // Activity of each sample by what is on its stack, most specific first.
  const byActivity = new Map<string, number>();
  const activityOf = (id: number): string => {
    const urls: string[] = [];
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) urls.push(byId.get(cur)!.callFrame.url);
    const leaf = byId.get(id)!.callFrame.functionName;
    if (leaf === '(garbage collector)') return 'garbage collector';
    if (leaf === '(program)') return '(program: native work outside JS frames, e.g. TLS/HTTP2 reads, timers)';
    if (urls.some((u) => /@prisma|\/pg(-pool|-protocol|-types)?\//.test(u))) return 'database client (Prisma, pg)';
    if (urls.some((u) => /hub\/dist/.test(u))) return 'hub code (excluding database client)';
    if (urls.some((u) => /@grpc\/grpc-js|@bufbuild|proto\/dist/.test(u))) return 'grpc-js + protobuf (incl. node core below it)';
    if (urls.some((u) => /ioredis|bullmq/.test(u))) return 'redis / bullmq';
    if (urls.some((u) => u.startsWith('node:'))) return 'node core only (http2, tls, net, timers)';
    return 'other';
  };
  for (const [id, us] of selfUs) {
    const name = byId.get(id)!.callFrame.functionName;
    if (name === '(idle)') continue;
    const a = activityOf(id);
    byActivity.set(a, (byActivity.get(a) ?? 0) + us);
  }
  const busy = total - idle;
  const pct = (us: number) => `${((us / total) * 100).toFixed(2)} %`;
  const table = (title: string, entries: Map<string, number>, n: number) =>
    [`${title}`, ...[...entries].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, us]) => `  ${pct(us).padStart(8)}  ${(us / 1000).toFixed(0).padStart(7)} ms  ${k}`)].join('\n');
  return [
    `profile: ${(total / 1e6).toFixed(1)} s, busy (not idle) ${(busy / 1000).toFixed(0)} ms = ${pct(busy)} of one core (sampled; includes profiler overhead)`,
    table('time by activity (what is on the stack):', byActivity, top),
    table('self time by package:', byPackage, top),
    table('self time by function:', byFunction, top),
    table('inclusive time of hub functions:', inclusive, top),
  ].join('\n\n');
}

if (import.meta.main) {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: node bench/idle-agents/profile.ts FILE.cpuprofile [--top N]\n');
    process.exit(2);
  }
  const i = process.argv.indexOf('--top');
  process.stdout.write(`${summarize(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, i > 0 ? Number(process.argv[i + 1]) : 25)}\n`);
}
