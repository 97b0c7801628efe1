/**
 * Component processes: each runs in its own process group (detached), logs to
 * a file in the cluster's data dir, and is tracked so that it is killed when
 * the cluster stops, when the parent exits (exit handler), on SIGINT/SIGTERM/
 * SIGHUP, and — for a parent killed with SIGKILL — by a tiny shell watchdog.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pidAlive, tailFile } from './build.ts';

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ComponentProcess {
  /** Component name, e.g. `kube-apiserver`. */
  name: string;
  pid: number;
  /** Process group id (== pid, since it is spawned detached). */
  pgid: number;
  logFile: string;
  /** Resolves when the process exits (only observed while this Node process lives). */
  exited: Promise<ExitInfo>;
  /** Set once it has exited. */
  exitInfo: ExitInfo | undefined;
  logTail(lines?: number): string;
}

export interface SpawnOptions {
  name: string;
  bin: string;
  args: string[];
  /** Directory for `<name>.log`. */
  logDir: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export function spawnComponent(opts: SpawnOptions): ComponentProcess {
  const logFile = path.join(opts.logDir, `${opts.name}.log`);
  const fd = fs.openSync(logFile, 'a');
  fs.writeSync(fd, `# ${new Date().toISOString()} ${opts.bin} ${opts.args.join(' ')}\n`);
  let child: ChildProcess;
  try {
    child = spawn(opts.bin, opts.args, {
      detached: true, // own process group: killed as a whole with kill(-pgid)
      stdio: ['ignore', fd, fd],
      env: opts.env ?? process.env,
      cwd: opts.cwd ?? opts.logDir,
    });
  } finally {
    fs.closeSync(fd);
  }
  // Do not keep the parent's event loop alive (the CLI's `up` exits and leaves
  // the clusters running); exit events are still delivered while it runs.
  child.unref();
  let resolveExit!: (info: ExitInfo) => void;
  const exited = new Promise<ExitInfo>((resolve) => (resolveExit = resolve));
  const proc: ComponentProcess = {
    name: opts.name,
    pid: child.pid ?? -1,
    pgid: child.pid ?? -1,
    logFile,
    exited,
    exitInfo: undefined,
    logTail: (lines = 25) => tailFile(logFile, lines),
  };
  child.on('error', (err) => {
    fs.appendFileSync(logFile, `# spawn error: ${err.message}\n`);
    proc.exitInfo = { code: 127, signal: null };
    resolveExit(proc.exitInfo);
  });
  child.on('exit', (code, signal) => {
    proc.exitInfo = { code, signal };
    resolveExit(proc.exitInfo);
  });
  return proc;
}

/** True while any process of the group exists (zombies count until reaped). */
export function groupAlive(pgid: number): boolean {
  if (pgid <= 0) return false;
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function killGroup(pgid: number, signal: NodeJS.Signals = 'SIGKILL'): void {
  if (pgid <= 0) return;
  try {
    process.kill(-pgid, signal);
  } catch {
    // already gone
  }
}

/** Kills the groups and waits until they are gone (or `timeoutMs` passes). */
export async function killGroupsAndWait(pgids: number[], timeoutMs = 10_000): Promise<number[]> {
  for (const g of pgids) killGroup(g, 'SIGKILL');
  const deadline = Date.now() + timeoutMs;
  let alive = pgids.filter(groupAlive);
  while (alive.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 25));
    alive = alive.filter(groupAlive);
  }
  return alive;
}

// ---------------------------------------------------------------------------
// Cleanup of everything this process started, whatever way it ends.

interface Tracked {
  pgids: Set<number>;
  dir: string;
  removeDir: boolean;
}

// One registry and one set of handlers per process, even when the module is
// loaded several times (vitest re-evaluates modules for every test file).
const REGISTRY = Symbol.for('flotilla.test-clusters.cleanup');
type Registry = { tracked: Map<string, Tracked>; handlersInstalled: boolean };
const registry: Registry = ((process as unknown as Record<symbol, Registry | undefined>)[REGISTRY] ??= {
  tracked: new Map<string, Tracked>(),
  handlersInstalled: false,
});
const tracked = registry.tracked;

/** Registers a cluster's process groups and dir for cleanup when this process ends. */
export function trackForCleanup(id: string, dir: string, removeDir: boolean): Tracked {
  installHandlers();
  const t: Tracked = { pgids: new Set(), dir, removeDir };
  tracked.set(id, t);
  return t;
}

export function untrack(id: string): void {
  tracked.delete(id);
}

/** Synchronous: usable from an 'exit' handler. */
export function cleanupAllSync(): void {
  for (const t of tracked.values()) {
    for (const g of t.pgids) killGroup(g, 'SIGKILL');
    if (t.removeDir) {
      try {
        fs.rmSync(t.dir, { recursive: true, force: true });
      } catch {
        // best effort
      }
    }
  }
  tracked.clear();
}

function installHandlers(): void {
  if (registry.handlersInstalled) return;
  registry.handlersInstalled = true;
  process.on('exit', cleanupAllSync);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const handler = (): void => {
      cleanupAllSync();
      // Restore the default behaviour if nobody else handles this signal.
      process.removeListener(sig, handler);
      if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
    };
    process.on(sig, handler);
  }
}

/**
 * Starts a detached shell watchdog that, once `parentPid` is gone (even after
 * a SIGKILL, which runs no handler), kills the process groups listed in
 * `<dir>/pgids` and removes `dir`. It exits by itself when `dir` disappears
 * (the cluster was stopped normally).
 */
export function spawnWatchdog(parentPid: number, dir: string, removeDir: boolean): ComponentProcess {
  const script = [
    'parent=$1; dir=$2; rmdir=$3',
    'while kill -0 "$parent" 2>/dev/null && [ -d "$dir" ]; do sleep 1; done',
    '[ -d "$dir" ] || exit 0',
    'for g in $(cat "$dir/pgids" 2>/dev/null); do kill -9 "-$g" 2>/dev/null; done',
    '[ "$rmdir" = 1 ] && rm -rf "$dir"',
    'exit 0',
  ].join('\n');
  return spawnComponent({
    name: 'watchdog',
    bin: '/bin/sh',
    args: ['-c', script, 'flotilla-cluster-watchdog', String(parentPid), dir, removeDir ? '1' : '0'],
    logDir: dir,
  });
}

export { pidAlive };

/** Resident set size of a process in KiB (0 if it is gone). */
export function rssKiB(pid: number): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return m?.[1] ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** Pids of live processes whose command line mentions `needle` (e.g. a cluster's data dir). */
export function processesMentioning(needle: string): number[] {
  const out: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmdline.includes(needle)) {
        const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
        // Ignore zombies (state Z): they hold no resources and are being reaped.
        if (/\) Z /.test(stat)) continue;
        out.push(Number(entry));
      }
    } catch {
      // exited meanwhile
    }
  }
  return out;
}
