import { describe, expect, it } from 'vitest';
import { clusterNameCandidates, isValidClusterName } from './cluster-naming.js';
import { registrationLabels, tokenRejection } from './registration.rules.js';

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
  it('lets the agent install override the token, and keeps hub edits of other keys', () => {
    expect(registrationLabels({ team: 'a', env: 'old' }, { env: 'dev', tier: 'x' }, { env: 'prod' })).toEqual({
      team: 'a',
      env: 'prod',
      tier: 'x',
    });
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
