/**
 * A parent that dies — by a signal it can handle, or by SIGKILL, which runs no
 * handler — leaves no cluster process and no data dir behind.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.ts';
import { CLUSTER_TOOLS, ensureTools, processesMentioning } from './index.ts';

const FIXTURE = fileURLToPath(new URL('./fixtures/hold-cluster.ts', import.meta.url));

async function startHolder(): Promise<{ child: ReturnType<typeof spawn>; dir: string; pids: number[] }> {
  const child = spawn(process.execPath, [FIXTURE, `hold-${randomBytes(3).toString('hex')}`], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = readline.createInterface({ input: child.stdout! });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`fixture exited with ${code} before the cluster was up`)));
  });
  const info = JSON.parse(first) as { dir: string; pids: number[] };
  return { child, ...info };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !/\) Z /.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

describe('cleanup when the parent dies', () => {
  beforeAll(async () => {
    await ensureTools(CLUSTER_TOOLS['api-only']);
  }, 60 * 60_000);

  for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
    it(`${signal}: components are killed and the data dir removed`, async () => {
      const { child, dir, pids } = await startHolder();
      expect(fs.existsSync(dir)).toBe(true);
      expect(pids.length).toBe(3);
      for (const pid of pids) expect(alive(pid)).toBe(true);
      child.kill(signal);
      // SIGTERM: the exit handlers clean up at once; SIGKILL: the watchdog notices within ~1 s.
      await eventually(
        () => {
          expect(pids.filter(alive)).toEqual([]);
          expect(processesMentioning(dir)).toEqual([]);
          expect(fs.existsSync(dir)).toBe(false);
        },
        { timeoutMs: 15_000, intervalMs: 100 },
      );
    }, 120_000);
  }
});
