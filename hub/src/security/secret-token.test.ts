import { describe, expect, it } from 'vitest';
import { hashSecret, issueToken, parseToken, secretMatches } from './secret-token.js';

describe('secret tokens', () => {
  it('issues a token that parses back and matches its stored hash only', () => {
    const issued = issueToken('reg');
    const parsed = parseToken(issued.token, 'reg');
    expect(parsed?.id).toBe(issued.id);
    expect(secretMatches(parsed!.secret, issued.secretHash)).toBe(true);
    expect(secretMatches(parsed!.secret, issueToken('reg').secretHash)).toBe(false);
    expect(issued.token).not.toContain(issued.secretHash);
  });

  it('keeps a given id (credential rotation)', () => {
    const id = '3f0b7f36-8f5f-4a56-9d0e-2a0c4c1d9e11';
    expect(issueToken('cl', id).id).toBe(id);
  });

  it.each([
    ['', 'empty'],
    ['flt_api_3f0b7f36-8f5f-4a56-9d0e-2a0c4c1d9e11_' + 'a'.repeat(43), 'wrong kind'],
    ['flt_reg_not-a-uuid_' + 'a'.repeat(43), 'bad id'],
    ['flt_reg_3f0b7f36-8f5f-4a56-9d0e-2a0c4c1d9e11_short', 'short secret'],
    ['flt_reg_3f0b7f36-8f5f-4a56-9d0e-2a0c4c1d9e11x' + 'a'.repeat(43), 'missing separator'],
  ])('rejects %s (%s)', (token) => {
    expect(parseToken(token, 'reg')).toBeUndefined();
  });

  it('never matches an empty stored hash', () => {
    expect(secretMatches('x', null)).toBe(false);
    expect(secretMatches('x', '')).toBe(false);
    expect(hashSecret('x')).toHaveLength(64);
  });
});
