import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { runCli } from '../../cli/src/cli.ts';
import { repoPath } from '../support/paths.ts';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `flotilla argv` in this process through runCli, with captured streams, this environment only, and `stdin` if given. */
export async function flotilla(argv: string[], env: NodeJS.ProcessEnv, stdin?: string): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: string[] = [];
  const err: string[] = [];
  stdout.on('data', (d: Buffer) => out.push(d.toString()));
  stderr.on('data', (d: Buffer) => err.push(d.toString()));
  const code = await runCli(argv, { stdout, stderr, env, stdin: Readable.from(stdin === undefined ? [] : [Buffer.from(stdin)]) });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

/** Runs the built CLI (cli/bin/flotilla.js) as a user does, in a child process with exactly `env` (plus PATH). */
export function flotillaProcess(argv: string[], env: NodeJS.ProcessEnv, stdin?: string): CliRun {
  const r = spawnSync(process.execPath, [repoPath('cli/bin/flotilla.js'), ...argv], {
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    ...(stdin === undefined ? {} : { input: stdin }),
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A HOME of its own (so no test reads a real ~/.config/flotilla), removed by `dispose`. */
export function tempHome(): { home: string; config: string; dispose(): void } {
  const home = mkdtempSync(join(tmpdir(), 'flotilla-cli-home-'));
  return { home, config: join(home, '.config', 'flotilla', 'config.json'), dispose: () => rmSync(home, { recursive: true, force: true }) };
}
