import { describe, expect, it } from 'vitest';
import { hashSecret } from '../security/secret-token.js';
import { clusterNameCandidates, isValidClusterName } from './cluster-naming.js';
import {
  agentLabelKeyAllowed,
  agentLabelKeyPatternProblem,
  agentLabelsProblem,
  attachDecision,
  isUnansweredRetry,
  registrationLabels,
  tokenRejection,
} from './registration.rules.js';

const now = new Date('2026-01-01T00:00:00Z');
const ok = { revokedAt: null, expiresAt: null, maxUses: null, uses: 0 };

describe('tokenRejection', () => {
  it('accepts a live token', () => {
    expect(tokenRejection(ok, now)).toBeUndefined();
    expect(tokenRejection({ ...ok, maxUses: 2, uses: 1 }, now)).toBeUndefined();
  });
  it('names revoked, expired and exhausted tokens, revocation first', () => {
    expect(tokenRejection({ ...ok, revokedAt: now, expiresAt: now }, now)).toBe('RegistrationTokenRevoked');
    expect(tokenRejection({ ...ok, expiresAt: now }, now)).toBe('RegistrationTokenExpired');
    expect(tokenRejection({ ...ok, maxUses: 1, uses: 1 }, now)).toBe('RegistrationTokenExhausted');
  });
});

describe('registrationLabels', () => {
  it('lets the token have the last word, then allowed agent labels, and keeps hub edits of other keys', () => {
    expect(registrationLabels({ team: 'a', env: 'old', region: 'old' }, { env: 'dev', tier: 'x' }, { region: 'eu' })).toEqual({
      team: 'a',
      env: 'dev',
      tier: 'x',
      region: 'eu',
    });
    // Even if a caller skipped agentLabelsProblem, the agent cannot override the token.
    expect(registrationLabels({}, { env: 'dev' }, { env: 'prod' })).toEqual({ env: 'dev' });
  });
});

describe('agentLabelsProblem', () => {
  const dev = { labels: { env: 'dev' }, agentLabelKeys: null };
  it('refuses an agent label that changes a token label, and accepts the same value', () => {
    expect(agentLabelsProblem({ env: 'prod' }, dev)).toMatchObject({ key: 'env', message: expect.stringContaining('sets env=dev') });
    expect(agentLabelsProblem({ env: 'dev', region: 'eu' }, dev)).toBeUndefined();
  });
  it('allows any other key when agentLabelKeys is null, none when it is []', () => {
    expect(agentLabelsProblem({ anything: 'x' }, dev)).toBeUndefined();
    expect(agentLabelsProblem({ region: 'eu' }, { labels: {}, agentLabelKeys: [] })).toMatchObject({
      key: 'region',
      message: expect.stringContaining('allows the agent no labels'),
    });
    expect(agentLabelsProblem({}, { labels: {}, agentLabelKeys: [] })).toBeUndefined();
  });
  it('names the first key outside the allowed list and what the list allows', () => {
    const policy = { labels: { env: 'dev' }, agentLabelKeys: ['region', 'topology.kubernetes.io/*'] };
    expect(agentLabelsProblem({ region: 'eu', 'topology.kubernetes.io/zone': 'a' }, policy)).toBeUndefined();
    expect(agentLabelsProblem({ region: 'eu', zone: 'a' }, policy)).toMatchObject({
      key: 'zone',
      message: expect.stringContaining('only the label keys region, topology.kubernetes.io/*'),
    });
  });
});

describe('agentLabelKeyAllowed', () => {
  it('matches exact keys, and prefixes for patterns ending in *', () => {
    const patterns = ['region', 'topology.kubernetes.io/*', 'team-*'];
    expect(['region', 'topology.kubernetes.io/zone', 'team-a', 'team-'].map((k) => agentLabelKeyAllowed(k, patterns))).toEqual([true, true, true, true]);
    expect(['regions', 'topology.kubernetes.io', 'team', 'x'].map((k) => agentLabelKeyAllowed(k, patterns))).toEqual([false, false, false, false]);
    expect(agentLabelKeyAllowed('x', null)).toBe(true);
    expect(agentLabelKeyAllowed('x', [])).toBe(false);
  });
});

describe('agentLabelKeyPatternProblem', () => {
  it('accepts label keys and prefixes with one trailing *', () => {
    for (const ok of ['region', 'example.com/owner', 'topology.kubernetes.io/*', 'team-*']) expect(agentLabelKeyPatternProblem(ok)).toBeUndefined();
  });
  it('rejects bad keys, a bare *, and * anywhere but the end', () => {
    expect(agentLabelKeyPatternProblem('Bad key')).toContain('is invalid');
    expect(agentLabelKeyPatternProblem('*')).toContain('leave agentLabelKeys out');
    expect(agentLabelKeyPatternProblem('a*b')).toContain('is invalid');
    expect(agentLabelKeyPatternProblem('a**')).toContain('is not a label key prefix');
    expect(agentLabelKeyPatternProblem('a/b/*')).toContain('at most one "/"');
  });
});

describe('attachDecision', () => {
  const c1 = { id: 'c1', name: 'edge-1' };
  it('re-attaches an existing identity only with a token bound to that cluster', () => {
    expect(attachDecision('c1', c1)).toEqual({ kind: 'reattach', cluster: c1 });
    expect(attachDecision(null, c1)).toEqual({ kind: 'identity-taken', cluster: c1 });
    expect(attachDecision('c2', c1)).toEqual({ kind: 'identity-taken', cluster: c1 });
  });
  it('creates new identities with unbound tokens only', () => {
    expect(attachDecision(null, null)).toEqual({ kind: 'create' });
    expect(attachDecision('c1', null)).toEqual({ kind: 'token-bound-elsewhere', clusterId: 'c1' });
  });
});

describe('isUnansweredRetry', () => {
  const nonce = 'n0nce-of-the-agent';
  const last = { connection: 'pending', registrationTokenId: 't1', registrationNonceHash: hashSecret(nonce) };

  it('is the same agent retrying: pending cluster, same token, same nonce', () => {
    expect(isUnansweredRetry(last, 't1', nonce)).toBe(true);
    expect(attachDecision(null, { id: 'c1' }, true)).toEqual({ kind: 'retry', cluster: { id: 'c1' } });
  });

  it.each([
    ['another nonce', last, 't1', 'guessed'],
    ['no nonce', last, 't1', ''],
    ['another token', last, 't2', nonce],
    ['a cluster that connected since', { ...last, connection: 'online' }, 't1', nonce],
    ['a revoked cluster', { ...last, connection: 'revoked' }, 't1', nonce],
    ['a cluster registered without a nonce', { ...last, registrationNonceHash: null }, 't1', ''],
  ])('is not, with %s', (_what, state, token, given) => {
    expect(isUnansweredRetry(state, token, given)).toBe(false);
  });
});

describe('cluster names', () => {
  it('prefers the requested name, then a suffixed one, then a derived one', () => {
    const [a, b, c] = clusterNameCandidates('edge-1', 'uid-1');
    expect(a).toBe('edge-1');
    expect(b).toMatch(/^edge-1-[0-9a-f]{8}$/);
    expect(c).toMatch(/^cluster-[0-9a-f]{8}$/);
    expect(clusterNameCandidates('', 'uid-1')).toEqual([c]);
    expect([a!, b!, c!].every(isValidClusterName)).toBe(true);
  });
  it('keeps suffixed names within 63 characters', () => {
    expect(clusterNameCandidates('x'.repeat(63), 'id')[1]).toHaveLength(63);
  });
});
