import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli.js';

async function script(shell: string): Promise<string> {
  let out = '';
  const io = { stdout: { write: (s: string) => ((out += s), true) }, stderr: { write: () => true } } as never;
  expect(await runCli(['completion', shell], io)).toBe(0);
  return out;
}

/** What real bash completes for `words` (the last one being typed), with the generated script loaded. */
function bashCompletes(text: string, words: string[]): string[] {
  const array = words.map((w) => `'${w}'`).join(' ');
  const r = spawnSync('bash', ['-c', `${text}\nCOMP_WORDS=(${array}); COMP_CWORD=${words.length - 1}; _flotilla; printf '%s\\n' "\${COMPREPLY[@]}"`], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  return r.stdout.split('\n').filter(Boolean);
}

describe('flotilla completion', () => {
  it('bash: completes commands, subcommands, flags and -o values from the command registry', async () => {
    const bash = await script('bash');
    expect(bashCompletes(bash, ['flotilla', 'to'])).toEqual(['tokens']);
    expect(bashCompletes(bash, ['flotilla', ''])).toEqual(expect.arrayContaining(['render', 'bundles', 'bundleset', 'login', 'logout', 'clusters', 'tokens', 'diff', 'completion']));
    expect(bashCompletes(bash, ['flotilla', 'tokens', ''])).toEqual(['create', 'list', 'revoke']);
    expect(bashCompletes(bash, ['flotilla', 'tokens', 'create', 'ci', '--r'])).toEqual(['--role']);
    expect(bashCompletes(bash, ['flotilla', 'clusters', '-'])).toEqual(expect.arrayContaining(['--selector', '-l', '--output', '-o', '--hub', '--token', '--help']));
    expect(bashCompletes(bash, ['flotilla', 'diff', 'web', '-o', 'y'])).toEqual(['yaml']);
    expect(bashCompletes(bash, ['flotilla', 'rollout', ''])).toEqual(['status', 'history', 'pause', 'resume', 'promote', 'rollback', 'unpin']);
    expect(bashCompletes(bash, ['flotilla', 'rollout', 'status', 'web', '--wa'])).toEqual(['--wait', '--wait-approval']);
  });

  it('zsh: a #compdef script with every command and its flags', async () => {
    const zsh = await script('zsh');
    expect(zsh.startsWith('#compdef flotilla\n')).toBe(true);
    expect(zsh).toContain('    tokens) flags=(--role --status --output -o --hub --token --help -h); subs=(create list revoke) ;;');
    expect(zsh).toContain('    rollout) flags=(--wait -w --timeout --wait-approval --limit --partition -p --to --until --gitrepo --output -o --hub --token --help -h); subs=(status history pause resume promote rollback unpin) ;;');
    expect(zsh).toContain('compdef _flotilla flotilla');
  });

  it('refuses another shell with a usage error', async () => {
    expect(await runCli(['completion', 'fish'], { stdout: process.stdout, stderr: { write: () => true } as never })).toBe(2);
  });
});
