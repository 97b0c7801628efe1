import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { repoPath } from '../support/paths.ts';

/**
 * A new user's shell has the machine's own Node first on PATH (20 here). The
 * README's commands must find the project's Node (>= 22) by themselves, and
 * `. scripts/env.sh` must work when sourced from an interactive shell, where
 * `$0` is the shell's name and not the script's path (issue 8).
 */
function fresh(shell: string, script: string, cwd: string): { major: number; output: string } {
  const result = spawnSync('env', ['-i', `HOME=${process.env.HOME}`, 'PATH=/usr/local/bin:/usr/bin:/bin', shell, '-c', script], { cwd, encoding: 'utf8' });
  const output = `${result.stdout}${result.stderr}`;
  const match = /^v(\d+)\./m.exec(result.stdout);
  return { major: match ? Number(match[1]) : 0, output };
}

describe('commands in a fresh shell', () => {
  for (const shell of ['sh', 'bash']) {
    it(`${shell}: sourcing scripts/env.sh from the repository root puts Node >= 22 first`, () => {
      const { major, output } = fresh(shell, '. scripts/env.sh && node --version', repoPath('.'));
      expect(major, output).toBeGreaterThanOrEqual(22);
    });
    it(`${shell}: sourcing it from a subfolder works too`, () => {
      const { major, output } = fresh(shell, '. ../../scripts/env.sh && node --version', repoPath('hub/src'));
      expect(major, output).toBeGreaterThanOrEqual(22);
    });
  }
  it('`npx flotilla` works with the machine\'s own Node (the CLI supports Node 20)', () => {
    const result = spawnSync('env', ['-i', `HOME=${process.env.HOME}`, 'PATH=/usr/local/bin:/usr/bin:/bin', 'sh', '-c', 'npx --no-install flotilla render --help'], { cwd: repoPath('.'), encoding: 'utf8' });
    expect(result.status, `${result.stdout}${result.stderr}`).toBe(0);
    expect(result.stdout).toMatch(/^Usage: flotilla render <dir>/);
  });
  it('scripts/run.sh (behind every npm script) finds the Node from any working directory', () => {
    const { major, output } = fresh('sh', `sh ${repoPath('scripts/run.sh')} node --version`, '/');
    expect(major, output).toBeGreaterThanOrEqual(22);
  });
  it('every npm script of every workspace goes through scripts/run.sh (or is a shell script)', async () => {
    const files = ['package.json', 'hub/package.json', 'agent/package.json', 'proto/package.json', 'core/package.json', 'render/package.json', 'cli/package.json'];
    const offenders: string[] = [];
    for (const file of files) {
      const { scripts } = (await import(repoPath(file), { with: { type: 'json' } })).default as { scripts: Record<string, string> };
      for (const [name, command] of Object.entries(scripts)) {
        const direct = command.replace(/'[^']*'/g, "''").split('&&').map((c) => c.trim()).filter((c) => !/^sh (\.\.\/)?scripts\/(run|setup|test)\.sh\b/.test(c) && !/^npm run /.test(c));
        if (direct.length) offenders.push(`${file} ${name}: ${direct.join(' && ')}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
