import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { eventually } from './eventually.ts';
import { freePort } from './ports.ts';

/** A private, throw-away redis-server (no persistence) that a test may stop and start again on the same port. */
export interface TestRedis {
  port: number;
  url: string;
  /** Kills the server (SIGKILL: an outage, not a shutdown) and waits until the port refuses connections. */
  stop(): Promise<void>;
  /** Starts it again on the same port (empty: nothing was persisted). */
  start(): Promise<void>;
  /** Freezes the server (SIGSTOP): connections stay open, nothing is answered. */
  pause(): void;
  /** Lets a paused server go on (SIGCONT). */
  resume(): void;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export async function startRedisServer(): Promise<TestRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;

  const start = async () => {
    const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    child = proc;
    running.add(proc);
    proc.once('exit', () => running.delete(proc));
    await eventually(() => accepts(port), { timeoutMs: 10_000, intervalMs: 50, description: `redis-server on ${port}` });
  };

  const stop = async () => {
    const proc = child;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill('SIGKILL');
    await exited;
    await eventually(async () => !(await accepts(port)), { timeoutMs: 5_000, intervalMs: 50, description: `redis-server on ${port} gone` });
  };

  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    stop,
    start,
    pause: () => void child?.kill('SIGSTOP'),
    resume: () => void child?.kill('SIGCONT'),
  };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
