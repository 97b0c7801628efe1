import { describe, expect, it } from 'vitest';
import { UsageError } from '../../args/usage.error.js';
import { parseDuration, parseRolloutArgs, type RolloutFlags } from './rollout-args.js';

const parse = (positionals: string[], flags: RolloutFlags = {}) => parseRolloutArgs(flags, positionals);
const refusal = (positionals: string[], flags: RolloutFlags = {}) => {
  try {
    parse(positionals, flags);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error('accepted');
};

describe('parseRolloutArgs', () => {
  it('reads each subcommand', () => {
    expect(parse(['status', 'web'])).toEqual({ format: 'human', sub: 'status', bundle: 'web' });
    expect(parse(['status', 'web'], { wait: true, output: 'json' })).toEqual({ format: 'json', sub: 'status', bundle: 'web', wait: { timeout: '10m', timeoutMs: 600_000, waitApproval: false } });
    expect(parse(['history', 'web'], { limit: '3' })).toEqual({ format: 'human', sub: 'history', bundle: 'web', limit: 3 });
    expect(parse(['pause'], { gitrepo: 'apps' })).toEqual({ format: 'human', sub: 'pause', gitRepo: 'apps' });
    expect(parse(['promote', 'web'], { partition: 'prod' })).toEqual({ format: 'human', sub: 'promote', bundle: 'web', partition: 'prod' });
    expect(parse(['rollback', 'web'], { to: '2', until: 'unpinned' })).toEqual({ format: 'human', sub: 'rollback', bundle: 'web', to: 2, until: 'unpinned' });
    expect(parse(['unpin', 'web'])).toEqual({ format: 'human', sub: 'unpin', bundle: 'web' });
  });

  it.each(['0', '-1', '2.5', 'two', '1e3', '', '99999999999999999999'])('refuses --to %j', (to) => {
    expect(refusal(['rollback', 'web'], { to })).toBe(`--to must be a positive integer (got "${to}")`);
  });

  it('refuses what cannot run, naming the flag or the argument', () => {
    expect(refusal([])).toContain('expected a subcommand');
    expect(refusal(['undo', 'web'])).toContain('unknown subcommand "undo"');
    expect(refusal(['status'])).toBe('rollout status takes one BUNDLE');
    expect(refusal(['pause', 'a', 'b'])).toBe('rollout pause takes one BUNDLE (or --gitrepo NAME)');
    expect(refusal(['pause', 'web'], { gitrepo: 'apps' })).toBe('rollout pause takes a BUNDLE or --gitrepo NAME, not both');
    expect(refusal(['rollback', 'web'])).toContain('needs --to SEQ');
    expect(refusal(['rollback', 'web'], { to: '2', until: 'forever' })).toBe('--until must be unpinned or newContent (got "forever")');
    expect(refusal(['status', 'web'], { to: '2' })).toBe('--to is for rollout rollback');
    expect(refusal(['promote', 'web'], { gitrepo: 'apps' })).toBe('--gitrepo is for rollout pause and resume');
    expect(refusal(['status', 'web'], { timeout: '1m' })).toBe('--timeout is for rollout status --wait');
    expect(refusal(['status', 'web'], { wait: true, timeout: 'soon' })).toContain('--timeout must be a duration');
    expect(refusal(['history', 'web'], { limit: '0' })).toBe('--limit must be a positive integer (got "0")');
    expect(refusal(['status', 'web'], { output: 'wide' })).toContain('--output must be');
  });
});

describe('parseDuration', () => {
  it.each([['90s', 90_000], ['10m', 600_000], ['1h30m', 5_400_000], ['1h2m3s', 3_723_000], ['0', 0]])('%s is %d ms', (text, ms) => expect(parseDuration(text, '--timeout')).toBe(ms));
  it.each(['', '10', 'm', '1.5m', '-1m', '10m1h'])('refuses %j', (text) => expect(() => parseDuration(text, '--timeout')).toThrow(UsageError));
});
