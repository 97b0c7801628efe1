import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { Socket } from 'node:net';
import { repoPath } from './paths.ts';

/** Fails fast, with the fix, when what the integration tests need is missing. */
export default async function setup(): Promise<void> {
  const problems: string[] = [];
  if (!(await answers(5432))) problems.push('PostgreSQL is not answering on 127.0.0.1:5432 (.ci/run starts it)');
  if (!(await answers(6379))) problems.push('Redis is not answering on 127.0.0.1:6379 (.ci/run starts it)');
  if (!existsSync(repoPath('hub/dist/main.js'))) problems.push('hub is not built: run `npm run build`');
  if (!existsSync(repoPath('agent/dist/main.js'))) problems.push('agent is not built: run `npm run build`');
  if (problems.length) throw new Error(`integration tests cannot run:\n  ${problems.join('\n  ')}`);
  // Every run gets its own database names and Redis prefixes.
  process.env.FLOTILLA_TEST_RUN_ID ??= randomBytes(4).toString('hex');
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.setTimeout(2000);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
    socket.connect(port, '127.0.0.1');
  });
}
